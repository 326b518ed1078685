/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.recipe.StorePathException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorePathsTest {
    @TempDir
    Path store;

    Kind refusal(String value) {
        return catchThrowableOfType(StorePathException.class, () -> StorePaths.resolve(store, value)).kind();
    }

    @Test
    void aFileNotYetTaught_resolvesInsideTheStore() throws Exception {
        assertThat(StorePaths.resolve(store, "golden/plate/g1.png"))
                .isEqualTo(store.toRealPath().resolve("golden/plate/g1.png"));
    }

    @Test
    void absoluteClimbingAndEmptyPaths_areRefused() {
        assertThat(refusal("/etc/passwd")).isEqualTo(Kind.OUTSIDE);
        assertThat(refusal("../x.png")).isEqualTo(Kind.OUTSIDE);
        assertThat(refusal("a/../../x.png")).isEqualTo(Kind.OUTSIDE);
        assertThat(refusal("a/../x.png")).as("'..' is refused even where it stays inside").isEqualTo(Kind.OUTSIDE);
        assertThat(refusal(" ")).isEqualTo(Kind.INVALID);
        assertThat(refusal("a\0b.png")).isEqualTo(Kind.INVALID);
    }

    @Test
    void aNewFileUnderAFolderLinkedOutside_isRefused(@TempDir Path elsewhere) throws Exception {
        Files.createSymbolicLink(store.resolve("golden"), elsewhere);
        StorePathException e = catchThrowableOfType(StorePathException.class,
                () -> StorePaths.resolve(store, "golden/new/g1.png"));
        assertThat(e.kind()).isEqualTo(Kind.OUTSIDE);
        assertThat(e.getMessage()).contains(elsewhere.toRealPath().resolve("new/g1.png").toString());
    }

    @Test
    void aMissingStore_isSaidSo() {
        StorePathException e = catchThrowableOfType(StorePathException.class,
                () -> StorePaths.existingFile(store.resolve("none"), "m.onnx"));
        assertThat(e.kind()).isEqualTo(Kind.STORE_UNUSABLE);
        assertThat(e.getMessage()).endsWith("does not exist");
    }

    @Test
    void aRecipeFileLinkedOutOfTheStore_isRefusedByName(@TempDir Path elsewhere) throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("other.yaml"), "name: other\n");
        Files.createSymbolicLink(store.resolve("bracket.yaml"), outside);
        assertThat(catchThrowableOfType(StorePathException.class, () -> StorePaths.existingFile(store, "bracket.yaml"))
                .kind()).isEqualTo(Kind.OUTSIDE);
    }
}
