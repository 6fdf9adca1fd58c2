"""Secure delivery, secrets: source tree, git history, client bundles, logs, env files and environments."""
