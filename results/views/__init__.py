"""The results pages: the organizers' (manage) and the public ones (public)."""
