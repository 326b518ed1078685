/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * The on-screen keyboard for PINs: ten digits, clear and enter, each key 80 px so gloved fingers hit it. The PIN is
 * shown masked and handed to {@code onEnter} as a char array, which the pad then forgets. FX thread only.
 */
public final class PinPad {
    private final VBox root = new VBox();
    private final PasswordField field = new PasswordField();
    private final Consumer<char[]> onEnter;

    public PinPad(Consumer<char[]> onEnter) {
        this.onEnter = onEnter;
        root.getStyleClass().add("pin-pad");
        field.getStyleClass().add("pin-field");
        field.setEditable(false);
        field.setFocusTraversable(false);
        GridPane keys = new GridPane();
        keys.getStyleClass().add("pin-keys");
        String[] labels = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"};
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            Button b = new Button(label);
            b.getStyleClass().add("pin-key");
            b.setId("pin-" + label);
            b.setOnAction(e -> press(label));
            keys.add(b, i % 3, i / 3);
        }
        root.getChildren().addAll(field, keys);
    }

    /** What a tap on a key does; also how tests type. */
    public void press(String key) {
        switch (key) {
            case "C" -> field.clear();
            case "OK" -> {
                char[] pin = field.getText().toCharArray();
                field.clear();
                onEnter.accept(pin);
            }
            default -> {
                if (field.getLength() < 12) {
                    field.appendText(key);
                }
            }
        }
    }

    /** Types each digit of {@code pin} and presses OK. */
    public void enter(String pin) {
        pin.chars().forEach(c -> press(Character.toString(c)));
        press("OK");
    }

    public Node view() {
        return root;
    }
}
