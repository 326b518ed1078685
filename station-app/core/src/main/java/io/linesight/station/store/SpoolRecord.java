/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of the results spool: a verdict row, or what became of a part's images. Lines written before image
 * records existed carry no {@code type} and are verdict rows.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = VerdictRow.class)
@JsonSubTypes({@JsonSubTypes.Type(value = VerdictRow.class, name = "verdict"),
        @JsonSubTypes.Type(value = ImageRecord.class, name = "image")})
public sealed interface SpoolRecord permits VerdictRow, ImageRecord {
    String line();

    String station();

    long seq();
}
