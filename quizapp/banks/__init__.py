"""Bank file formats: text → domain objects (or problems with file:line), and back."""
