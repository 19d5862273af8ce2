"""Answering users: /diagnose, /faq, feedback buttons, help-channel mode."""
