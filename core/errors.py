"""The one exception type that carries a message meant for the user."""


class InputError(ValueError):
    """Bad input the user can fix: the message is one line saying what is wrong and what to do.

    The CLI prints it as ``error: <message>`` and exits 2; the app shows it with ``st.error``.
    """
