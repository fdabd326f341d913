package org.proxynas.cli;

/** A problem with the user's input (file, option, data): reported as one line, no stack trace. */
public class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }
}
