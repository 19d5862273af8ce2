"""Credentials: offline inspection of a pasted token, the live check against LiveChat's accounts API,
and the texts both front ends (terminal, Discord) show. Nothing here logs or stores a raw token."""
