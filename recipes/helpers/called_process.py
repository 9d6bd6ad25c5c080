"""The program that executing_a_process_from_a_script.py execs into.

It greets the user and waits for Enter, as the seed does, but it never hangs
and never crashes because no person is there to type:
- stdin is a terminal: wait for the person as long as it takes;
- stdin is closed or at end of file (e.g. /dev/null): input() raises
  EOFError, which we treat as "nothing typed";
- stdin is a pipe that stays open with nothing coming: wait a few seconds for
  a line, then carry on.
"""
import os
import sys

# How long to wait for a line when stdin is not a terminal.
PIPE_TIMEOUT_S = 3.0


def read_line(prompt):
    """Return the line typed (without its newline), or None if none came."""
    if sys.stdin is None or sys.stdin.closed:
        # No stdin at all (e.g. the fd was closed before Python started).
        return None
    if not sys.stdin.isatty() and os.name == "posix":
        # Not a terminal: only call input() once data (or end of file) is
        # there, so an open but silent pipe cannot make us wait forever.
        # select() works on pipes on POSIX only, hence the os.name check.
        import select

        print(prompt, end="", flush=True)
        ready, _, _ = select.select([sys.stdin], [], [], PIPE_TIMEOUT_S)
        if not ready:
            print("\n(no input after %.0f s: going on)" % PIPE_TIMEOUT_S)
            return None
        prompt = ""  # already shown
    try:
        return input(prompt)
    except EOFError:
        # stdin closed or at end of file: nobody will ever type anything.
        return None


def main():
    print("Hello python Parallel Cookbook!! (called process, pid %d)" % os.getpid())
    line = read_line("Press Enter to exit: ")
    if line is None:
        print("\n(stdin is closed: nothing to read, exiting)")
    else:
        print("You typed: %r" % line)
    print("Called process exits")


if __name__ == "__main__":
    main()
