// SPDX-License-Identifier: Apache-2.0
// SocketMode: the permission bits a socket file gets, parsed from octal as chmod(1) takes them.
package dev.udsinterop.server;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permission bits of a socket file, {@code 0000} to {@code 0777}. Connecting to a Unix
 * domain socket needs write permission on it, so {@code 0600} (the default) admits only the
 * owner and {@code 0666} everyone.
 */
public record SocketMode(int bits) {
    /** Owner read and write only. */
    public static final SocketMode DEFAULT = new SocketMode(0600);

    public SocketMode {
        if (bits < 0 || bits > 0777) {
            throw new ConfigurationException("mode " + Integer.toOctalString(bits) + ": want an octal mode from 0000 to 0777");
        }
    }

    /**
     * Parses an octal mode such as {@code 0600} or {@code 660}.
     *
     * @throws ConfigurationException if the text is not an octal number from 0 to 0777
     */
    public static SocketMode parse(String text) {
        if (!text.matches("[0-7]{1,4}")) {
            throw new ConfigurationException("mode '" + text + "': want an octal mode from 0000 to 0777, e.g. 0600");
        }
        return new SocketMode(Integer.parseInt(text, 8));
    }

    Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < order.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return String.format("%04o", bits);
    }
}
