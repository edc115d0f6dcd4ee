// SPDX-License-Identifier: Apache-2.0
// ContainerException: Docker refused or failed something the harness asked for; the message says what and why.
package dev.udsinterop.harness.container;

/** A container, image, network or volume operation failed. The message is {@code op object: cause}. */
public final class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message, null, false, false);
    }
}
