"""Moderators and helpers answering a user with the canonical fix."""
