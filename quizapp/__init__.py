"""quizapp: terminal exam prep for the iPAS 淨零碳規劃管理師 certification.

Importing this package must stay cheap: it must not import textual or SQLAlchemy.
"""

__version__ = "0.1.0"
