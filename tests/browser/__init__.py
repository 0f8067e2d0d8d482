"""Browser tests of the review app: a real Chromium against the app served on loopback."""
