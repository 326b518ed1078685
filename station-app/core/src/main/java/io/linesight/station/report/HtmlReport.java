/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.RecipeParts;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: numbers in tables, charts as inline SVG (no script, no network), and a
 * print stylesheet so it prints on A4 as it reads on screen.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(ReportData d) {
        StringBuilder b = new StringBuilder();
        b.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Linesight report</title>
                <style>
                body{font-family:sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
                table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
                th:first-child,td:first-child{text-align:left}.kpi{display:flex;gap:2em}.kpi div{font-size:1.3em}
                svg{max-width:100%;height:auto}section{break-inside:avoid}
                @media print{body{margin:1cm}a{color:inherit}}
                </style></head><body>
                """);
        f(b, "<h1>Linesight report</h1><p>%s &ndash; %s (UTC)</p>%n", esc(d.from().toString()), esc(d.to().toString()));
        f(b, "<div class=\"kpi\"><div>parts <b id=\"parts\">%d</b></div><div>rejected <b id=\"rejected\">%d</b></div>"
                + "<div>yield <b id=\"yield\">%.2f %%</b></div><div>p99 <b>%.1f ms</b></div>"
                + "<div>downtime <b>%s</b></div></div>%n", d.parts(), d.rejected(), 100 * d.yield(), d.latency().p99(),
                TextReport.duration(d.downtimeMs()));
        b.append("<section><h2>Yield by hour</h2>\n").append(hourChart(d.hours())).append("</section>\n");
        b.append("<section><h2>Pareto of reject reasons</h2>\n").append(pareto(d.reasons())).append(table(d.reasons()))
                .append("</section>\n");
        b.append("<section><h2>Defect classes on rejected parts</h2>\n").append(pareto(d.classes()))
                .append(table(d.classes())).append("</section>\n");
        f(b, "<section><h2>Latency</h2><table><tr><th>parts</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>"
                + "<tr><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr></table> (ms)</section>%n",
                d.latency().parts(), d.latency().p50(), d.latency().p90(), d.latency().p99(), d.latency().max());
        b.append("<section><h2>Per recipe</h2><table><tr><th>recipe</th><th>version</th><th>parts</th><th>rejected</th>"
                + "<th>yield</th></tr>\n");
        for (RecipeParts r : d.recipes()) {
            f(b, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%.2f %%</td></tr>%n", esc(r.recipe()), r.version(),
                    r.parts(), r.rejected(), r.parts() == 0 ? 0 : 100.0 * r.passed() / r.parts());
        }
        f(b, "</table></section>%n<section><h2>Image archive</h2><p>parts stored <b id=\"archived\">%d</b>, not archived "
                + "<b id=\"not-archived\">%d</b>%s, deleted %d%s</p>%n", d.archive().stored(), d.archive().droppedTotal(),
                esc(TextReport.counts(d.archive().dropped())),
                d.archive().deleted().values().stream().mapToLong(Long::longValue).sum(),
                esc(TextReport.counts(d.archive().deleted())));
        for (String line : d.notKept()) {
            f(b, "<p class=\"not-kept\">%s</p>%n", esc(line));
        }
        b.append("</section>\n<section><h2>Downtime (alarms)</h2><table><tr><th>raised</th><th>code</th>"
                + "<th>source</th><th>acknowledged by</th><th>in range</th><th>detail</th></tr>\n");
        for (Alarm a : d.alarms()) {
            f(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    Instant.ofEpochMilli(a.raisedMs()), esc(a.code()), esc(a.source()),
                    esc(a.acknowledgedBy() == null ? "" : a.acknowledgedBy()),
                    TextReport.duration(a.overlapMs(d.from(), d.to())), esc(a.detail()));
        }
        b.append("</table></section>\n</body></html>\n");
        return b.toString();
    }

    /** Stacked bars per hour: passed (green) under rejected (red), scaled to the busiest hour. */
    private static String hourChart(List<HourYield> hours) {
        int w = 720;
        int h = 180;
        StringBuilder s = new StringBuilder();
        f(s, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"yield by hour\">%n", w, h + 20,
                w, h + 20);
        long max = Math.max(1, hours.stream().mapToLong(HourYield::parts).max().orElse(1));
        double bw = hours.isEmpty() ? 0 : (double) w / hours.size();
        for (int k = 0; k < hours.size(); k++) {
            HourYield y = hours.get(k);
            double ph = h * (double) y.passed() / max;
            double rh = h * (double) y.rejected() / max;
            f(s, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2ecc40\"><title>%s: %d parts, "
                    + "yield %.2f %%</title></rect>%n", k * bw, h - ph, Math.max(1, bw - 1), ph, y.hour(), y.parts(),
                    100 * y.yield());
            f(s, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ff4136\"/>%n", k * bw, h - ph - rh,
                    Math.max(1, bw - 1), rh);
            if (hours.size() <= 24 || k % Math.max(1, hours.size() / 12) == 0) {
                f(s, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>%n", k * bw, h + 14,
                        y.hour().toString().substring(11, 13) + "h");
            }
        }
        return s.append("</svg>\n").toString();
    }

    /** Bars in descending order with the cumulative share as a line: the classic Pareto chart. */
    private static String pareto(List<Count> counts) {
        if (counts.isEmpty()) {
            return "<p>none</p>\n";
        }
        int w = 720;
        int h = 160;
        long total = counts.stream().mapToLong(Count::count).sum();
        long max = counts.getFirst().count();
        double bw = (double) w / counts.size();
        StringBuilder s = new StringBuilder();
        f(s, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"pareto\">%n", w, h + 20, w,
                h + 20);
        StringBuilder line = new StringBuilder();
        long cum = 0;
        for (int k = 0; k < counts.size(); k++) {
            Count c = counts.get(k);
            double bh = h * (double) c.count() / max;
            cum += c.count();
            f(s, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#0074d9\"><title>%s: %d</title></rect>%n",
                    k * bw + 2, h - bh, Math.max(1, bw - 4), bh, esc(c.key()), c.count());
            f(s, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>%n", k * bw + 2, h + 14, esc(c.key()));
            f(line, "%.1f,%.1f ", k * bw + bw / 2, h - h * (double) cum / total);
        }
        f(s, "<polyline points=\"%s\" fill=\"none\" stroke=\"#ff851b\" stroke-width=\"2\"/>%n", line.toString().strip());
        return s.append("</svg>\n").toString();
    }

    private static String table(List<Count> counts) {
        StringBuilder s = new StringBuilder("<table><tr><th>key</th><th>count</th></tr>\n");
        for (Count c : counts) {
            f(s, "<tr><td>%s</td><td>%d</td></tr>%n", esc(c.key()), c.count());
        }
        return s.append("</table>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void f(StringBuilder b, String fmt, Object... args) {
        b.append(String.format(Locale.ROOT, fmt, args));
    }
}
