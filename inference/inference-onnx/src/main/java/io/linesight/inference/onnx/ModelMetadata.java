/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Ultralytics keys of an ONNX file's custom metadata map ({@code names}, {@code stride}, {@code imgsz},
 * {@code task}, {@code end2end}, {@code channels}). Every key is optional: YOLOv5 exports carry only {@code names}
 * and {@code stride}, models from other tools carry none.
 *
 * @param names    class names by id, empty when absent
 * @param stride   the largest stride, 0 when absent
 * @param imgszH   input height the model was exported at, 0 when absent
 * @param imgszW   input width, 0 when absent
 * @param task     {@code detect}, {@code segment}, … or null when absent
 * @param end2end  TRUE/FALSE as stated, null when absent
 * @param channels 1 or 3, 0 when absent
 */
public record ModelMetadata(List<String> names, int stride, int imgszH, int imgszW, @Nullable String task,
                            @Nullable Boolean end2end, int channels) {

    // Python dict repr: {0: 'person', 1: "it's"}; names may hold quotes of the other kind
    private static final Pattern NAME_ENTRY = Pattern.compile("(\\d+)\\s*:\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\")");
    private static final Pattern INT = Pattern.compile("-?\\d+");

    public ModelMetadata {
        names = List.copyOf(names);
    }

    /** Reads the keys it knows; a key whose value cannot be parsed is an error naming the key and the value. */
    public static ModelMetadata parse(Map<String, String> custom) {
        List<String> names = parseNames(custom.get("names"));
        int stride = parseFirstInt(custom, "stride");
        int h = 0;
        int w = 0;
        String imgsz = custom.get("imgsz");
        if (imgsz != null) {
            List<Integer> v = ints(imgsz);
            if (v.isEmpty()) {
                throw new IllegalArgumentException("metadata imgsz='" + imgsz + "' holds no number");
            }
            h = v.get(0);
            w = v.size() > 1 ? v.get(1) : h;
        }
        String task = custom.get("task");
        Boolean end2end = null;
        String e2e = custom.get("end2end");
        if (e2e != null) {
            end2end = e2e.trim().equalsIgnoreCase("true");
        }
        int channels = parseFirstInt(custom, "channels");
        return new ModelMetadata(names, stride, h, w, task == null ? null : task.trim(), end2end, channels);
    }

    /** Parses {@code {0: 'person', 1: 'bicycle'}} (also a YAML-ish list {@code ['a', 'b']}); ids must be 0..n-1. */
    static List<String> parseNames(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        Matcher m = NAME_ENTRY.matcher(text);
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(3);
            byId.put(Integer.parseInt(m.group(1)), name.replace("\\'", "'").replace("\\\"", "\""));
        }
        if (byId.isEmpty()) {
            // a plain list: ['a', 'b']
            Matcher q = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
            List<String> list = new ArrayList<>();
            while (q.find()) {
                list.add(q.group(1) != null ? q.group(1) : q.group(2));
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("metadata names='" + abbreviate(text) + "' is neither a dict nor a list");
            }
            return list;
        }
        List<String> names = new ArrayList<>(byId.size());
        for (Map.Entry<Integer, String> e : byId.entrySet()) {
            if (e.getKey() != names.size()) {
                throw new IllegalArgumentException("metadata names: class ids are not 0.." + (byId.size() - 1)
                        + " (id " + e.getKey() + " found at position " + names.size() + ")");
            }
            names.add(e.getValue());
        }
        return names;
    }

    private static int parseFirstInt(Map<String, String> custom, String key) {
        String v = custom.get(key);
        if (v == null) {
            return 0;
        }
        List<Integer> all = ints(v);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("metadata " + key + "='" + v + "' holds no number");
        }
        // stride may be a list ([8, 16, 32]) in some exports: the largest one aligns the letterbox
        return all.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private static List<Integer> ints(String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = INT.matcher(text);
        while (m.find()) {
            out.add(Integer.parseInt(m.group()));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
