"""The runnable Wagtail site that hosts the loyalty and community apps (demo and reference integration)."""
