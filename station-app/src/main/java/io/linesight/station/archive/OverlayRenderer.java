/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.config.PixelFormat;
import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.inspect.Inspection;
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
import java.util.List;
import java.util.Locale;

/**
 * Draws what the station saw on a colour copy of a shot: rule overlays (green when the rule passed, red when it
 * failed) and the model's detections (orange, with class and score). The raw frame is archived unchanged beside it;
 * this image is for people.
 */
final class OverlayRenderer {
    static final Color PASS = new Color(0x2E, 0xCC, 0x40);
    static final Color FAIL = new Color(0xFF, 0x30, 0x30);
    static final Color DETECTION = new Color(0xFF, 0x98, 0x00);

    private OverlayRenderer() {
    }

    /** Whether the inspection has anything to draw on {@code shot}. */
    static boolean hasOverlays(Inspection i, String shot) {
        return i.rules().stream().anyMatch(r -> r.shot().equals(shot) && !r.overlays().isEmpty())
                || i.detections().stream().anyMatch(d -> d.shot().equals(shot) && !d.detections().isEmpty());
    }

    static BufferedImage render(ImageArchive.Shot s, Inspection i) {
        BufferedImage rgb = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = new int[s.width() * s.height()];
        byte[] src = s.pixels();
        boolean wide = s.format() != PixelFormat.MONO8;
        for (int k = 0; k < px.length; k++) {
            int v = wide ? (src[2 * k + 1] & 0xFF) : (src[k] & 0xFF); // 16-bit: the high byte is enough to look at
            px[k] = v << 16 | v << 8 | v;
        }
        rgb.setRGB(0, 0, s.width(), s.height(), px, 0, s.width());
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float stroke = Math.max(1.5f, s.width() / 500f);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, s.width() / 80)));
            for (RuleResult r : i.rules()) {
                if (r.shot().equals(s.name())) {
                    for (Overlay o : r.overlays()) {
                        draw(g, o);
                    }
                }
            }
            for (ShotDetections sd : i.detections()) {
                if (sd.shot().equals(s.name())) {
                    g.setColor(DETECTION);
                    for (Detection d : sd.detections()) {
                        g.draw(new Rectangle2D.Double(d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1()));
                        g.drawString(String.format(Locale.ROOT, "%s %.2f", d.className(), d.score()), d.x1(),
                                Math.max(g.getFont().getSize(), d.y1() - 3));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static void draw(Graphics2D g, Overlay o) {
        g.setColor(o.pass() ? PASS : FAIL);
        switch (o) {
            case Overlay.Box b -> g.draw(new Rectangle2D.Double(b.x(), b.y(), b.width(), b.height()));
            case Overlay.Circle c -> g.draw(new Ellipse2D.Double(c.cx() - c.radius(), c.cy() - c.radius(),
                    2 * c.radius(), 2 * c.radius()));
            case Overlay.Line l -> g.draw(new Line2D.Double(l.x1(), l.y1(), l.x2(), l.y2()));
            case Overlay.Polygon p -> g.draw(polygon(p.points()));
        }
    }

    private static Path2D polygon(List<Double> pts) {
        Path2D path = new Path2D.Double();
        for (int k = 0; k + 1 < pts.size(); k += 2) {
            if (k == 0) {
                path.moveTo(pts.get(k), pts.get(k + 1));
            } else {
                path.lineTo(pts.get(k), pts.get(k + 1));
            }
        }
        path.closePath();
        return path;
    }
}
