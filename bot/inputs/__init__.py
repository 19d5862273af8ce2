"""Reading what users attach (screenshots, …) into plain text for the engine.

No discord.py here: the Discord cogs, `authbot ask` and the tests all hand this package bytes, so it can be
tested and used without a gateway. Whatever it returns is raw user text: the engine's normaliser and
redaction read it like any other message.
"""
