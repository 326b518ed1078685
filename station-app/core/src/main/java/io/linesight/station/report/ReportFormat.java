/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

/** The forms a report is printed in. */
public enum ReportFormat {
    TEXT, CSV, HTML;

    public String render(ReportData d) {
        return switch (this) {
            case TEXT -> TextReport.render(d);
            case CSV -> CsvReport.render(d);
            case HTML -> HtmlReport.render(d);
        };
    }
}
