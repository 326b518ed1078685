/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.PixelFormat;
import io.linesight.config.station.CameraConfig;
import io.linesight.config.TriggerMode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * How long the archive's writer spends per shot and how large the files get, for the encodings the archive could use:
 * {@link PngEncoder} at deflate levels 0–6 with each row filter, against what the archive did before (ImageIO's PNG
 * writer for the raw shot, plus a colour overlay image drawn with AWT and written as a second PNG). Not a test: run by
 * hand, figures go to docs/BENCHMARKS.md ("Archive image encoding").
 *
 * <pre>java -cp &lt;test class path&gt; io.linesight.station.archive.ArchiveEncodingBench [IMAGE_FOLDER]</pre>
 *
 * Images: 8 demo frames (synthetic camera, 1280x1024, Mono8 and the same scaled to Mono12 in 16 bits), and, when a
 * folder is given, up to 8 of its greyscale JPEG/PNG images (real surfaces: e.g. the magnetic-tile data set).
 */
final class ArchiveEncodingBench {
    private ArchiveEncodingBench() {
    }

    record Image(String set, int width, int height, PixelFormat format, byte[] pixels) {
    }

    public static void main(String[] args) throws Exception {
        List<Image> images = new ArrayList<>(demoFrames(8));
        List<Image> mono12 = new ArrayList<>();
        for (Image i : images) {
            byte[] wide = new byte[i.pixels().length * 2];
            for (int k = 0; k < i.pixels().length; k++) {
                int v = (i.pixels()[k] & 0xff) << 4 | (k * 7 & 0xf); // 12 bits, the low ones noisy as a sensor's
                wide[2 * k] = (byte) v;
                wide[2 * k + 1] = (byte) (v >> 8);
            }
            mono12.add(new Image("demo-mono12", i.width(), i.height(), PixelFormat.MONO12, wide));
        }
        images.addAll(mono12);
        if (args.length > 0) {
            images.addAll(folder(Path.of(args[0]), 8));
        }
        System.out.printf(Locale.ROOT, "%-16s %-22s %9s %9s %7s%n", "images", "encoding", "ms/image", "MB/s", "ratio");
        for (String set : images.stream().map(Image::set).distinct().toList()) {
            List<Image> of = images.stream().filter(i -> i.set().equals(set)).toList();
            row(set, "ImageIO PNG (before)", of, ArchiveEncodingBench::imageIo);
            row(set, "before + overlay PNG", of, ArchiveEncodingBench::imageIoWithOverlay);
            for (int level : new int[] {0, 1, 2, 3, 6}) {
                for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
                    PngEncoder e = new PngEncoder(level, f);
                    row(set, "level " + level + " " + f, of, i -> e.encode(i.width(), i.height(), i.format(), i.pixels()));
                }
            }
        }
    }

    interface Encoding {
        int bytes(Image i) throws Exception;
    }

    private static void row(String set, String name, List<Image> images, Encoding enc) throws Exception {
        long raw = 0;
        long out = 0;
        for (Image i : images) { // warm up
            enc.bytes(i);
        }
        int rounds = 3;
        long[] times = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            out = 0;
            raw = 0;
            for (Image i : images) {
                out += enc.bytes(i);
                raw += i.pixels().length;
            }
            times[r] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        double msPerImage = times[rounds / 2] / 1e6 / images.size();
        System.out.printf(Locale.ROOT, "%-16s %-22s %9.2f %9.1f %7.3f%n", set, name, msPerImage,
                raw / 1e6 / (times[rounds / 2] / 1e9), (double) out / raw);
    }

    private static int imageIo(Image i) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(asImage(i), "png", out);
        return out.size();
    }

    /** The shot as the archive handed it to ImageIO before: 8-bit or 16-bit grey. */
    private static BufferedImage asImage(Image i) {
        if (i.format() == PixelFormat.MONO8) {
            BufferedImage img = new BufferedImage(i.width(), i.height(), BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(i.pixels(), 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0,
                    i.pixels().length);
            return img;
        }
        BufferedImage img = new BufferedImage(i.width(), i.height(), BufferedImage.TYPE_USHORT_GRAY);
        short[] dst = ((java.awt.image.DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        ByteBuffer.wrap(i.pixels()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(dst);
        return img;
    }

    /** What each archived part cost before: the raw PNG, and a colour copy with overlays drawn, as a second PNG. */
    private static int imageIoWithOverlay(Image i) throws Exception {
        int n = imageIo(i);
        byte[] grey = new byte[i.width() * i.height()];
        for (int k = 0; k < grey.length; k++) {
            grey[k] = i.format() == PixelFormat.MONO8 ? i.pixels()[k] : i.pixels()[2 * k + 1];
        }
        ShotOverlays o = new ShotOverlays("top", List.of(new io.linesight.rules.overlay.Overlay.Box(100, 100, 200, 150,
                false, "hole")), List.of(new io.linesight.inference.api.Detection(300, 300, 360, 340, 0, "scratch", 0.9f)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(OverlayRenderer.image(i.width(), i.height(), grey, o, 1.0), "png", out);
        return n + out.size();
    }

    private static List<Image> demoFrames(int n) throws Exception {
        CameraConfig cfg = new CameraConfig("top", "synthetic", null, 1280, 1024, PixelFormat.MONO8, TriggerMode.SOFTWARE,
                1000, Map.of("seed", "7", "defectRate", "0.15"));
        List<Image> out = new ArrayList<>();
        BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(n);
        try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
            cam.configure(CameraSettings.of(1000, 0));
            cam.start(new FrameSink() {
                @Override
                public void onFrame(Frame frame) {
                    frames.add(frame);
                }
            });
            for (int k = 0; k < n; k++) {
                cam.trigger(new TriggerTag("B-" + k, "top"));
                Frame f = frames.poll(10, TimeUnit.SECONDS);
                if (f == null) {
                    throw new IllegalStateException("no frame from the synthetic camera");
                }
                ByteBuffer b = f.pixels();
                byte[] px = new byte[f.width() * f.height()];
                for (int y = 0; y < f.height(); y++) {
                    b.get(y * f.stride(), px, y * f.width(), f.width());
                }
                out.add(new Image("demo-mono8", f.width(), f.height(), PixelFormat.MONO8, px));
                f.close();
            }
        }
        return out;
    }

    private static List<Image> folder(Path dir, int n) throws Exception {
        List<Image> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png|bmp)")).sorted().limit(n).toList()) {
                BufferedImage src = ImageIO.read(p.toFile());
                BufferedImage grey = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                grey.getGraphics().drawImage(src, 0, 0, null);
                out.add(new Image(dir.getFileName().toString(), grey.getWidth(), grey.getHeight(), PixelFormat.MONO8,
                        ((DataBufferByte) grey.getRaster().getDataBuffer()).getData().clone()));
            }
        }
        return out;
    }
}
