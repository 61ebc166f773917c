package io.pgdbm.cli;

import io.pgdbm.PgdbmException;

/** A command could not do what it was asked, for a reason of its own; the message says why and what to do. Exit 1. */
final class CommandFailedException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
