/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes small ONNX graphs straight as ONNX's protobuf encoding (onnx.proto3 field numbers), without an ONNX library:
 * the anomaly model's bank search ({@code BankSearchGraph}) is made this way when it is loaded, and tests make the
 * models they need (one that misbehaves in a precise way) without Python or a committed binary. Only what those use:
 * float tensors, int and ints attributes, opset 13. Not thread-safe; one per graph being written.
 */
public final class OnnxGraph {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A graph input or output of type float; a dimension is a Long (fixed) or a String (symbolic). */
    public OnnxGraph input(String name, Object... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    public OnnxGraph output(String name, Object... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    /** A float constant of the given shape. */
    public OnnxGraph initializer(String name, float[] values, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, 1); // FLOAT
        t.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        t.bytes(9, raw.array());
        initializers.add(t.toBytes());
        return this;
    }

    /**
     * One node. {@code attributes} values: an Integer or Long (INT), a long[] (INTS).
     */
    public OnnxGraph node(String op, List<String> in, String out, Map<String, Object> attributes) {
        Proto n = new Proto();
        in.forEach(s -> n.string(1, s));
        n.string(2, out);
        n.string(3, out + "_node");
        n.string(4, op);
        attributes.forEach((name, v) -> {
            Proto a = new Proto();
            a.string(1, name);
            if (v instanceof long[] ints) {
                for (long i : ints) {
                    a.varint(8, i);
                }
                a.varint(20, 7); // INTS
            } else {
                a.varint(3, ((Number) v).longValue());
                a.varint(20, 2); // INT
            }
            n.bytes(5, a.toBytes());
        });
        nodes.add(n.toBytes());
        return this;
    }

    /** The model, with {@code metadata} as its metadata_props. */
    public byte[] model(Map<String, String> metadata) {
        Proto g = new Proto();
        nodes.forEach(b -> g.bytes(1, b));
        g.string(2, "tiny");
        initializers.forEach(b -> g.bytes(5, b));
        inputs.forEach(b -> g.bytes(11, b));
        outputs.forEach(b -> g.bytes(12, b));
        Proto m = new Proto();
        m.varint(1, 8); // IR version 8
        m.string(2, "linesight-test");
        m.bytes(7, g.toBytes());
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 13);
        m.bytes(8, opset.toBytes());
        metadata.forEach((k, v) -> {
            Proto e = new Proto();
            e.string(1, k);
            e.string(2, v);
            m.bytes(14, e.toBytes());
        });
        return m.toBytes();
    }

    private static byte[] valueInfo(String name, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = new Proto();
            if (d instanceof String s) {
                dim.string(2, s);
            } else {
                dim.varint(1, ((Number) d).longValue());
            }
            shape.bytes(1, dim.toBytes());
        }
        Proto tensor = new Proto();
        tensor.varint(1, 1); // FLOAT
        tensor.bytes(2, shape.toBytes());
        Proto type = new Proto();
        type.bytes(1, tensor.toBytes());
        Proto vi = new Proto();
        vi.string(1, name);
        vi.bytes(2, type.toBytes());
        return vi.toBytes();
    }

    /** Protobuf wire format: varint (type 0) and length-delimited (type 2) fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] b) {
            raw((long) field << 3 | 2);
            raw(b.length);
            out.writeBytes(b);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
