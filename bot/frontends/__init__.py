"""Front ends over the one core: the terminal shell, one-shot `ask`, and the Discord runner."""
