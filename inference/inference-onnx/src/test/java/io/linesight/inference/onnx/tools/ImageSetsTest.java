/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Image sets for the anomaly tools should")
class ImageSetsTest {
    @TempDir
    Path dir;

    @Test
    void takeThePngBesideAJpegAsItsMaskAndTheFirstFolderAsTheClass() throws IOException {
        touch("crack/Imgs/a.jpg", "crack/Imgs/a.png", "blowhole/b.png", "blowhole/b_mask.png", "notes.txt");

        List<ImageSets.Item> items = ImageSets.items(dir, null);

        assertThat(items).extracting(i -> dir.relativize(i.image()).toString(), ImageSets.Item::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("blowhole/b.png", "blowhole"),
                        org.assertj.core.groups.Tuple.tuple("crack/Imgs/a.jpg", "crack"));
        assertThat(ImageSets.mask(dir.resolve("crack/Imgs/a.jpg"))).isEqualTo(dir.resolve("crack/Imgs/a.png"));
        assertThat(ImageSets.mask(dir.resolve("blowhole/b.png"))).isEqualTo(dir.resolve("blowhole/b_mask.png"));
    }

    @Test
    void readAListFileRelativeToItsRootAndNameAMissingImageByLine() throws IOException {
        touch("data/x/1.jpg");
        Path list = dir.resolve("set.txt");
        Files.writeString(list, "# a comment\nx/1.jpg\n\nx/2.jpg\n");

        assertThatThrownBy(() -> ImageSets.items(list, dir.resolve("data"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith(list + ":4: image ").hasMessageEndingWith("2.jpg does not exist");
        Files.writeString(list, "x/1.jpg\n");
        assertThat(ImageSets.items(list, dir.resolve("data"))).singleElement()
                .satisfies(i -> assertThat(i.label()).isEqualTo("x"));
    }

    @Test
    void refuseAFolderWithoutImages() throws IOException {
        touch("empty/readme.txt");
        assertThatThrownBy(() -> ImageSets.items(dir.resolve("empty"), null)).hasMessageEndingWith("holds no images (png, jpg, jpeg, bmp, gif)");
    }

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
    }
}
