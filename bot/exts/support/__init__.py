"""Answering users: /diagnose, /faq, feedback buttons, escalation, help-channel mode.

The private modules are the glue these features (and moderators' answers) share: `_answers` builds and
publishes a reply, `_diagnosing` runs the engine and logs it, `_topics` picks an entry by what was typed.
"""
