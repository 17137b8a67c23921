"""agentrails: a Copier template pack and check engine for AI-native repositories."""

__version__ = "0.2.0"
