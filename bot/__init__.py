"""planbot: turns a feature request into a reviewed implementation plan."""

__version__ = "0.1.0"
