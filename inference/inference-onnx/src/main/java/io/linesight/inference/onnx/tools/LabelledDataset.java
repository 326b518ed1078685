/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Images and their labels under a folder. For {@code …/images/a.jpg} the label is the first of {@code a.xml} or
 * {@code a.txt} beside it, {@code …/labels/a.txt}, {@code …/annotations/a.xml} or {@code …/Annotations/a.xml}.
 * Pascal VOC XML names classes; YOLO txt ({@code class cx cy w h}, normalised) numbers them. An image without a label
 * file is defect-free.
 */
public final class LabelledDataset {
    private static final List<String> IMAGE_EXT = List.of(".jpg", ".jpeg", ".png", ".bmp");

    /** One image and its label file, null when none was found. */
    public record Item(Path image, @Nullable Path labels) {
    }

    private LabelledDataset() {
    }

    public static List<Item> scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such dataset folder");
        }
        List<Item> items = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (IMAGE_EXT.stream().anyMatch(n::endsWith)) {
                    items.add(new Item(p, labelsFor(p)));
                }
            }
        }
        if (items.isEmpty()) {
            throw new IOException(dir + ": no images (" + String.join(", ", IMAGE_EXT) + ")");
        }
        return items;
    }

    static @Nullable Path labelsFor(Path image) {
        String file = image.getFileName().toString();
        String stem = file.substring(0, file.lastIndexOf('.'));
        Path dir = image.getParent();
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve(stem + ".xml"), dir.resolve(stem + ".txt")));
        Path up = dir.getParent();
        if (up != null) {
            for (String sub : List.of("labels", "annotations", "Annotations")) {
                candidates.add(up.resolve(sub).resolve(stem + (sub.equals("labels") ? ".txt" : ".xml")));
            }
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /** Reads the labels of an image of the given size, mapping VOC names onto {@code classNames}. */
    public static List<DetectionMetrics.Truth> read(@Nullable Path labels, int width, int height,
                                                    List<String> classNames) throws IOException {
        if (labels == null) {
            return List.of();
        }
        return labels.getFileName().toString().endsWith(".xml") ? readVoc(labels, classNames)
                : readYolo(labels, width, height, classNames.size());
    }

    static List<DetectionMetrics.Truth> readYolo(Path file, int w, int h, int classes) throws IOException {
        List<DetectionMetrics.Truth> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                if (f.length < 5) {
                    throw new NumberFormatException("5 fields expected");
                }
                int c = Integer.parseInt(f[0]);
                if (c < 0 || c >= classes) {
                    throw new IOException(file + ":" + (i + 1) + ": class " + c + " but the model has " + classes);
                }
                float cx = Float.parseFloat(f[1]) * w;
                float cy = Float.parseFloat(f[2]) * h;
                float bw = Float.parseFloat(f[3]) * w;
                float bh = Float.parseFloat(f[4]) * h;
                out.add(new DetectionMetrics.Truth(c, cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not 'class cx cy w h' (" + e.getMessage() + "): " + line);
            }
        }
        return out;
    }

    static List<DetectionMetrics.Truth> readVoc(Path file, List<String> classNames) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            Document doc = b.parse(file.toFile());
            NodeList objects = doc.getElementsByTagName("object");
            List<DetectionMetrics.Truth> out = new ArrayList<>();
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                String name = text(o, "name", file).trim();
                int c = classNames.indexOf(name);
                if (c < 0) {
                    throw new IOException(file + ": object " + (i + 1) + " is '" + name
                            + "', a class the model does not have (" + String.join(", ", classNames) + ")");
                }
                Element box = (Element) o.getElementsByTagName("bndbox").item(0);
                if (box == null) {
                    throw new IOException(file + ": object " + (i + 1) + " has no bndbox");
                }
                out.add(new DetectionMetrics.Truth(c, num(box, "xmin", file), num(box, "ymin", file),
                        num(box, "xmax", file), num(box, "ymax", file)));
            }
            return out;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(file + ": not Pascal VOC XML: " + e.getMessage(), e);
        }
    }

    private static String text(Element e, String tag, Path file) throws IOException {
        NodeList l = e.getElementsByTagName(tag);
        if (l.getLength() == 0) {
            throw new IOException(file + ": <" + tag + "> missing");
        }
        return l.item(0).getTextContent();
    }

    private static float num(Element e, String tag, Path file) throws IOException {
        String t = text(e, tag, file).trim();
        try {
            return Float.parseFloat(t);
        } catch (NumberFormatException x) {
            throw new IOException(file + ": <" + tag + "> '" + t + "' is not a number");
        }
    }
}
