"""The command line's one error: a user error, printed as one sentence with exit status 2."""


class CommandError(Exception):
    """A user error on the command line: the message is printed as is, the exit code is 2."""
