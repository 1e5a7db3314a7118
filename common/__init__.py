"""What every app shares and no domain owns (see docs and DESIGN.md, Architecture)."""
