/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.inference.api.Detection;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.overlay.Overlay;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import java.util.Locale;

/**
 * The one place overlays become pixels: a shot's grey image with its rule geometry (green when the rule passed, red
 * when it failed, with the overlay's label), the model's detections (amber, with class and score) and the anomaly
 * model's heat map, region and score drawn over it.
 * The HMI's image views, {@code station archive --overlays} and the tests all call this, so the same image and
 * vectors give the same pixels wherever someone looks. Nothing calls it on the inspection path or the archive's
 * writer: overlays are drawn only when someone looks.
 *
 * <p>Line width and label size follow the image's width, so a thumbnail and a full frame look alike. Any thread.
 */
public final class OverlayRenderer {
    public static final Color PASS = new Color(0x2E, 0xCC, 0x71);
    public static final Color FAIL = new Color(0xFF, 0x4D, 0x4D);
    public static final Color DETECTION = new Color(0xFF, 0xB0, 0x00);
    private static final DirectColorModel ARGB = (DirectColorModel) ColorModel.getRGBdefault();

    private OverlayRenderer() {
    }

    /**
     * Draws into {@code argb} (row-major, {@code width * height}): the grey image, then the overlays.
     *
     * @param grey  8-bit grey pixels, row-major, no padding
     * @param scale image pixels per frame pixel (the overlays are in frame pixels), ≤ 1 for a downscaled view
     * @return {@code argb}
     */
    public static int[] render(int width, int height, byte[] grey, ShotOverlays overlays, double scale, int[] argb) {
        int n = width * height;
        if (grey.length < n || argb.length < n) {
            throw new IllegalArgumentException("image " + width + "x" + height + ": grey " + grey.length + ", argb "
                    + argb.length + " pixels");
        }
        for (int k = 0; k < n; k++) {
            int v = grey[k] & 0xff;
            argb[k] = 0xff000000 | v << 16 | v << 8 | v;
        }
        if (overlays.isEmpty()) {
            return argb;
        }
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(argb, n), width, height, width,
                ARGB.getMasks(), null);
        draw(new BufferedImage(ARGB, raster, false, null), overlays, scale);
        return argb;
    }

    /** As {@link #render}, into a new image (for writing a PNG). */
    public static BufferedImage image(int width, int height, byte[] grey, ShotOverlays overlays, double scale) {
        int[] argb = render(width, height, grey, overlays, scale, new int[width * height]);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }

    private static void draw(BufferedImage img, ShotOverlays o, double scale) {
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(Math.max(1.5f, img.getWidth() / 500f)));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, img.getWidth() / 80)));
            if (o.anomaly() != null) {
                anomaly(g, o.anomaly(), scale);
            }
            for (Overlay ov : o.rules()) {
                g.setColor(ov.pass() ? PASS : FAIL);
                double[] at = shape(g, ov, scale);
                label(g, ov.label(), at[0], at[1]);
            }
            g.setColor(DETECTION);
            for (Detection d : o.detections()) {
                g.draw(new Rectangle2D.Double(d.x1() * scale, d.y1() * scale, (d.x2() - d.x1()) * scale,
                        (d.y2() - d.y1()) * scale));
                label(g, String.format(Locale.ROOT, "%s %.2f", d.className(), d.score()), d.x1() * scale,
                        d.y1() * scale);
            }
        } finally {
            g.dispose();
        }
    }

    /**
     * The anomaly map as a heat map over the area the model looked at: patches from half the threshold up, yellow to
     * red and more opaque as they near and pass it; then the region boxed and the score against the threshold (red
     * when the shot is anomalous, green otherwise).
     */
    private static void anomaly(Graphics2D g, ShotAnomaly a, double s) {
        ShotAnomaly.Box area = a.area();
        double cw = (double) area.width() / a.gridWidth();
        double ch = (double) area.height() / a.gridHeight();
        double t = a.threshold() > 0 ? a.threshold() : 1;
        for (int gy = 0; gy < a.gridHeight(); gy++) {
            for (int gx = 0; gx < a.gridWidth(); gx++) {
                double r = a.map()[gy * a.gridWidth() + gx] / t;
                if (r < 0.5) {
                    continue;
                }
                double heat = Math.min(1, (r - 0.5) * 2); // 0 at half the threshold, 1 at it and above
                g.setColor(new Color(255, (int) (220 * (1 - heat)), 0, (int) (60 + 90 * heat)));
                double x = (area.x() + gx * cw) * s;
                double y = (area.y() + gy * ch) * s;
                g.fill(new Rectangle2D.Double(x, y, Math.ceil(cw * s), Math.ceil(ch * s)));
            }
        }
        g.setColor(a.anomalous() ? FAIL : PASS);
        ShotAnomaly.Box r = a.region();
        if (a.anomalous()) {
            g.draw(new Rectangle2D.Double(r.x() * s, r.y() * s, r.width() * s, r.height() * s));
        }
        String text = String.format(Locale.ROOT, "anomaly %.3f / %.3f", a.score(), a.threshold());
        label(g, text, (a.anomalous() ? r.x() : area.x()) * s, (a.anomalous() ? r.y() : area.y() + 2 * ch) * s);
    }

    /** Draws the shape; returns where its label goes (its top-left, or its first point). */
    private static double[] shape(Graphics2D g, Overlay o, double s) {
        return switch (o) {
            case Overlay.Box b -> {
                g.draw(new Rectangle2D.Double(b.x() * s, b.y() * s, b.width() * s, b.height() * s));
                yield new double[] {b.x() * s, b.y() * s};
            }
            case Overlay.Circle c -> {
                double x = (c.cx() - c.radius()) * s;
                double y = (c.cy() - c.radius()) * s;
                g.draw(new Ellipse2D.Double(x, y, 2 * c.radius() * s, 2 * c.radius() * s));
                yield new double[] {x, y};
            }
            case Overlay.Line l -> {
                g.draw(new Line2D.Double(l.x1() * s, l.y1() * s, l.x2() * s, l.y2() * s));
                yield new double[] {l.x1() * s, l.y1() * s};
            }
            case Overlay.Polygon p -> {
                g.draw(polygon(p.points(), s));
                yield p.points().size() >= 2 ? new double[] {p.points().get(0) * s, p.points().get(1) * s}
                        : new double[] {0, 0};
            }
        };
    }

    private static void label(Graphics2D g, String text, double x, double y) {
        if (!text.isEmpty()) {
            g.drawString(text, (float) x, (float) Math.max(g.getFont().getSize(), y - 3));
        }
    }

    private static Path2D polygon(List<Double> pts, double s) {
        Path2D path = new Path2D.Double();
        for (int k = 0; k + 1 < pts.size(); k += 2) {
            if (k == 0) {
                path.moveTo(pts.get(k) * s, pts.get(k + 1) * s);
            } else {
                path.lineTo(pts.get(k) * s, pts.get(k + 1) * s);
            }
        }
        path.closePath();
        return path;
    }
}
