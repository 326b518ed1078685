/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

/** The value type of a GenICam feature, from the element name of its node in the device's XML description. */
enum FeatureKind {
    INTEGER, FLOAT, ENUMERATION, BOOLEAN, STRING, COMMAND, OTHER;

    static FeatureKind ofNodeName(String node) {
        return switch (node) {
            case "Integer", "IntReg", "MaskedIntReg", "IntSwissKnife", "IntConverter" -> INTEGER;
            case "Float", "FloatReg", "SwissKnife", "Converter" -> FLOAT;
            case "Enumeration" -> ENUMERATION;
            case "Boolean" -> BOOLEAN;
            case "String", "StringReg" -> STRING;
            case "Command" -> COMMAND;
            default -> OTHER;
        };
    }
}
