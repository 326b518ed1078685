/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.publish;

/** The remote HMI's topics, under {@code linesight/{line}/{station}/hmi/} beside the PLC's (docs/HMI.md). */
public record HmiTopics(String line, String station) {
    public String base() {
        return "linesight/" + line + "/" + station + "/";
    }

    /** Retained, about once a second: counters, health, links, recipe, open alarms; {@code online:false} as will. */
    public String status() {
        return base() + "hmi/status";
    }

    /** The latest part, at most about 10 a second. */
    public String part() {
        return base() + "hmi/part";
    }

    /** The latest image of a shot (PNG, 8-bit grey, downscaled), at most about 5 a second. */
    public String image(String shot) {
        return base() + "hmi/image/" + shot;
    }

    public String images() {
        return base() + "hmi/image/+";
    }

    /** This HMI identity's command topic; the broker's ACL lets only that identity publish there. */
    public String command(String identity, String name) {
        return base() + "hmi/cmd/" + identity + "/" + name;
    }

    /** Where the station answers HMI identity {@code identity} (readable by that identity only). */
    public String reply(String identity) {
        return base() + "hmi/reply/" + identity;
    }
}
