/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Image sets for the anomaly tools: a folder (searched recursively, sorted by path) or a list file ({@code .txt}: one
 * image path a line, relative to {@code --root} or else to the list's folder; {@code #} starts a comment). A PNG beside
 * a JPEG/BMP of the same name is that image's pixel mask (the magnetic-tile layout), not an image; so is
 * {@code NAME_mask.png} beside {@code NAME.png}.
 */
final class ImageSets {
    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** An image and its class: the first folder below the set's root (or the root's own name). */
    record Item(Path image, String label) {
    }

    private ImageSets() {
    }

    static List<Item> items(Path set, @Nullable Path root) throws IOException {
        List<Item> out = new ArrayList<>();
        if (Files.isDirectory(set)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(set)) {
                files = s.filter(Files::isRegularFile).filter(ImageSets::isImage).sorted().toList();
            }
            for (Path f : files) {
                Path rel = set.relativize(f);
                out.add(new Item(f, rel.getNameCount() > 1 ? rel.getName(0).toString() : name(set)));
            }
        } else if (Files.isRegularFile(set)) {
            Path base = root != null ? root : set.toAbsolutePath().getParent();
            List<String> lines = Files.readAllLines(set);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Path rel = Path.of(line);
                Path f = base.resolve(rel);
                if (!Files.isRegularFile(f)) {
                    throw new IOException(set + ":" + (i + 1) + ": image " + f + " does not exist");
                }
                out.add(new Item(f, rel.getNameCount() > 1 ? rel.getName(0).toString() : name(set)));
            }
        } else {
            throw new IOException(set + ": no such folder or list file");
        }
        if (out.isEmpty()) {
            throw new IOException(set + ": holds no images (png, jpg, jpeg, bmp, gif)");
        }
        return out;
    }

    static List<Path> images(Path set, @Nullable Path root) throws IOException {
        return items(set, root).stream().map(Item::image).toList();
    }

    /** The image's pixel mask ({@code NAME.png} beside a non-PNG image, or {@code NAME_mask.png}); null when none. */
    static @Nullable Path mask(Path image) {
        String n = image.getFileName().toString();
        String stem = stem(n);
        Path sibling = image.resolveSibling(stem + ".png");
        if (!ext(n).equals("png") && Files.isRegularFile(sibling)) {
            return sibling;
        }
        Path suffixed = image.resolveSibling(stem + "_mask.png");
        return Files.isRegularFile(suffixed) ? suffixed : null;
    }

    private static boolean isImage(Path f) {
        String n = f.getFileName().toString();
        String e = ext(n);
        if (!IMAGE_EXT.contains(e)) {
            return false;
        }
        if (e.equals("png")) {
            String stem = stem(n);
            if (stem.endsWith("_mask")) {
                return false;
            }
            for (String other : List.of("jpg", "jpeg", "bmp")) {
                if (Files.isRegularFile(f.resolveSibling(stem + "." + other))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String name(Path p) {
        Path f = p.toAbsolutePath().normalize().getFileName();
        String n = f == null ? p.toString() : f.toString();
        return n.endsWith(".txt") ? n.substring(0, n.length() - 4) : n;
    }

    private static String ext(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
