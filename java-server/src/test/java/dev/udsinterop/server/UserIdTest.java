// SPDX-License-Identifier: Apache-2.0
// UserIdTest: a JDK user principal gives its numeric user id, as --allow-uid compares it.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UserIdTest {
    @Test
    void theOwnerOfAFileHasThatFilesUid() throws Exception {
        Path self = Path.of("/proc/self");
        assertThat(UserId.of(Files.getOwner(self, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo(Files.getAttribute(self, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void rootIsUidZero() throws Exception {
        assertThat(UserId.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"))).isZero();
    }

    @Test
    void thisJavaTellsUserIds() {
        assertThatCode(() -> UserId.check("--allow-uid")).doesNotThrowAnyException();
    }
}
