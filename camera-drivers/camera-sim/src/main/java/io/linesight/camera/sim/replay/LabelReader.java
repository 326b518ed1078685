/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.TruthBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Finds and reads the ground truth of a replayed image.
 *
 * <p>For {@code <dir>/<stem>.<ext>} it looks, in this order, for YOLO text {@code <dir>/<stem>.txt} or
 * {@code <dir>/../labels/<stem>.txt} (lines {@code class cx cy w h}, normalised to the image size), then Pascal VOC
 * {@code <dir>/<stem>.xml}, {@code <dir>/../annotations/<stem>.xml} or {@code <dir>/../Annotations/<stem>.xml}
 * ({@code object/name} and {@code bndbox} in pixels, used as written). YOLO class names come from
 * {@code classes.txt} (one per line) or the {@code names} of {@code data.yaml} (list or index map), looked up in the
 * label's folder, the image folder and its parent; without them a label is the class index.
 */
final class LabelReader {
    private final Path imageDir;
    private final @Nullable List<String> names;

    LabelReader(Path imageDir) throws CameraException {
        this.imageDir = imageDir;
        this.names = classNames(imageDir);
    }

    /** The truth boxes of {@code image} in pixels of a {@code width x height} frame; empty without a label file. */
    List<TruthBox> truthOf(Path image, int width, int height) throws CameraException {
        String file = image.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        Path parent = imageDir.toAbsolutePath().getParent();
        for (Path txt : candidates(stem + ".txt", parent, "labels")) {
            if (Files.isRegularFile(txt) && !txt.getFileName().toString().equals("classes.txt")) {
                return yolo(txt, width, height);
            }
        }
        for (Path xml : candidates(stem + ".xml", parent, "annotations", "Annotations")) {
            if (Files.isRegularFile(xml)) {
                return voc(xml);
            }
        }
        return List.of();
    }

    private List<Path> candidates(String name, @Nullable Path parent, String... siblings) {
        List<Path> out = new ArrayList<>();
        out.add(imageDir.resolve(name));
        if (parent != null) {
            for (String s : siblings) {
                out.add(parent.resolve(s).resolve(name));
            }
        }
        return out;
    }

    private List<TruthBox> yolo(Path txt, int width, int height) throws CameraException {
        List<String> lines = read(txt);
        List<TruthBox> boxes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = txt + ":" + (i + 1);
            if (f.length != 5) {
                throw new CameraException(CameraException.Code.BAD_SETTING, where + ": expected 'class cx cy w h' "
                        + "(5 fields, normalised), found " + f.length + " fields: '" + line + "'");
            }
            try {
                int cls = Integer.parseInt(f[0]);
                double cx = Double.parseDouble(f[1]);
                double cy = Double.parseDouble(f[2]);
                double w = Double.parseDouble(f[3]);
                double h = Double.parseDouble(f[4]);
                if (cx < 0 || cx > 1 || cy < 0 || cy > 1 || w < 0 || w > 1 || h < 0 || h > 1) {
                    throw new CameraException(CameraException.Code.BAD_SETTING,
                            where + ": coordinates must be normalised to 0..1: '" + line + "'");
                }
                boxes.add(new TruthBox(className(cls, where), (cx - w / 2) * width, (cy - h / 2) * height,
                        (cx + w / 2) * width, (cy + h / 2) * height));
            } catch (NumberFormatException e) {
                throw new CameraException(CameraException.Code.BAD_SETTING, where + ": not a number in '" + line + "'");
            }
        }
        return List.copyOf(boxes);
    }

    private String className(int cls, String where) throws CameraException {
        if (names == null) {
            return Integer.toString(cls);
        }
        if (cls < 0 || cls >= names.size()) {
            throw new CameraException(CameraException.Code.BAD_SETTING, where + ": class " + cls
                    + " is not among the " + names.size() + " class names " + names);
        }
        return names.get(cls);
    }

    private static List<TruthBox> voc(Path xml) throws CameraException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // annotation files are data: no DTDs, no external entities
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document doc = b.parse(xml.toFile());
            NodeList objects = doc.getElementsByTagName("object");
            List<TruthBox> boxes = new ArrayList<>();
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                String where = xml + ": object " + (i + 1);
                Element box = child(o, "bndbox", where);
                boxes.add(new TruthBox(text(o, "name", where), number(box, "xmin", where), number(box, "ymin", where),
                        number(box, "xmax", where), number(box, "ymax", where)));
            }
            return List.copyOf(boxes);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new CameraException(CameraException.Code.BAD_SETTING, xml + ": not a Pascal VOC annotation: "
                    + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String tag, String where) throws CameraException {
        NodeList l = parent.getElementsByTagName(tag);
        if (l.getLength() == 0) {
            throw new CameraException(CameraException.Code.BAD_SETTING, where + ": missing <" + tag + ">");
        }
        return (Element) l.item(0);
    }

    private static String text(Element parent, String tag, String where) throws CameraException {
        return child(parent, tag, where).getTextContent().strip();
    }

    private static double number(Element parent, String tag, String where) throws CameraException {
        String t = text(parent, tag, where);
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new CameraException(CameraException.Code.BAD_SETTING, where + ": <" + tag + "> '" + t
                    + "' is not a number");
        }
    }

    private static List<String> read(Path file) throws CameraException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, file + ": unreadable: " + e.getMessage(), e);
        }
    }

    private static @Nullable List<String> classNames(Path imageDir) throws CameraException {
        Path dir = imageDir.toAbsolutePath();
        Path parent = dir.getParent();
        List<Path> dirs = new ArrayList<>(List.of(dir));
        if (parent != null) {
            dirs.add(parent.resolve("labels"));
            dirs.add(parent);
        }
        for (Path d : dirs) {
            Path classes = d.resolve("classes.txt");
            if (Files.isRegularFile(classes)) {
                return read(classes).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            }
            for (String yaml : List.of("data.yaml", "dataset.yaml")) {
                Path p = d.resolve(yaml);
                if (Files.isRegularFile(p)) {
                    return yamlNames(p);
                }
            }
        }
        return null;
    }

    private static List<String> yamlNames(Path file) throws CameraException {
        Object doc;
        try {
            String text = Files.readString(file);
            // one read for the whole text: SnakeYAML's chunked reads fail on a surrogate pair at a chunk's end
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).setBufferSize(text.length() + 1).build())
                    .loadFromString(text);
        } catch (IOException | RuntimeException e) {
            throw new CameraException(CameraException.Code.BAD_SETTING, file + ": not readable YAML: " + e.getMessage(), e);
        }
        Object names = doc instanceof Map<?, ?> m ? m.get("names") : null;
        if (names instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (names instanceof Map<?, ?> map) {
            Map<Integer, String> byIndex = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof Integer i) || i < 0) {
                    throw new CameraException(CameraException.Code.BAD_SETTING, file + ": names: key '" + e.getKey()
                            + "' is not a class index");
                }
                byIndex.put(i, String.valueOf(e.getValue()));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < byIndex.size(); i++) {
                String n = byIndex.get(i);
                if (n == null) {
                    throw new CameraException(CameraException.Code.BAD_SETTING, file + ": names: class indices must run "
                            + "0.." + (byIndex.size() - 1) + ", missing " + i);
                }
                out.add(n);
            }
            return List.copyOf(out);
        }
        throw new CameraException(CameraException.Code.BAD_SETTING, file + ": no 'names' list or map "
                + "(expected e.g. names: [scratch, dent])");
    }
}
