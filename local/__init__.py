"""The local stack: emulator bootstrap, queue worker and runner. Never deployed."""
