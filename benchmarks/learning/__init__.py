"""Learning simulator: does the study engine get candidates to a pass? (docs/learning.md)"""
