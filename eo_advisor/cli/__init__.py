"""The command line: Typer commands, the interview, exit codes."""
