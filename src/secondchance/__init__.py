"""secondchance: a kind coach for the four-step program after a breakup."""

__version__ = "0.1.0"
