package org.proxynas.data;

/**
 * A dataset that cannot be used as given: a missing or malformed file, or an unknown dataset name. The message
 * always names the file (or resource) and, for malformed content, the byte offset and what was expected there.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) { super(message); }

    public DatasetException(String message, Throwable cause) { super(message, cause); }

    /** "{source}: {what} (at byte offset {offset})". */
    static DatasetException at(String source, long offset, String what) {
        return new DatasetException(source + ": " + what + " (at byte offset " + offset + ")");
    }
}
