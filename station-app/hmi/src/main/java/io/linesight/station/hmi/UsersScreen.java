/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.Session;
import io.linesight.station.auth.User;
import java.io.IOException;
import java.util.Arrays;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Users: every logged-in user changes their own PIN here; an admin also adds and removes users, sets their roles and
 * resets their PINs. Each change is audited before it is made ({@link Session}); the screen says what happened or
 * why not, and never shows a PIN. FX thread only.
 */
final class UsersScreen {
    private final Session session;
    private final VBox root = new VBox(16);
    private final Label message = new Label();
    private final PasswordField oldPin = new PasswordField();
    private final PasswordField newPin = new PasswordField();
    private final PasswordField repeatPin = new PasswordField();
    private final ListView<String> list = new ListView<>();
    private final TextField name = new TextField();
    private final ChoiceBox<Role> role = new ChoiceBox<>(FXCollections.observableArrayList(Role.values()));
    private final PasswordField pin = new PasswordField();
    private final VBox admin = new VBox(10);
    /** A touchscreen has no keyboard: tapping a field brings this one up. */
    private final OnScreenKeyboard keyboard = new OnScreenKeyboard();

    UsersScreen(Session session) {
        this.session = session;
        root.setPadding(new javafx.geometry.Insets(24));
        message.getStyleClass().add("login-message");

        oldPin.setPromptText("current PIN");
        newPin.setPromptText("new PIN");
        repeatPin.setPromptText("new PIN again");
        Button change = button("Change my PIN", this::changeOwnPin);
        VBox own = new VBox(10, new Label("My PIN"), new HBox(10, oldPin, newPin, repeatPin, change));

        name.setPromptText("user name");
        pin.setPromptText("PIN");
        role.setValue(Role.OPERATOR);
        list.setPrefHeight(220);
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                User u = session.users().user(now.substring(0, now.indexOf(' ')));
                if (u != null) {
                    name.setText(u.name());
                    role.setValue(u.role());
                }
            }
        });
        admin.getChildren().addAll(new Label("Users (admin)"), list, new HBox(10, name, role, pin),
                new HBox(10, button("Add", this::add), button("Remove", this::remove), button("Set role", this::setRole),
                        button("Reset PIN", this::resetPin)));
        for (TextField f : new TextField[] {oldPin, newPin, repeatPin, name, pin}) {
            keyboard.attach(f);
        }
        root.getChildren().addAll(message, own, admin, keyboard.view());
    }

    private static Button button(String text, Runnable action) {
        Button b = new Button(text);
        b.getStyleClass().add("big-button");
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Re-reads the users; the admin part is there for admins only. Called when the screen opens. */
    void reload() {
        list.getItems().setAll(session.users().users().stream()
                .map(u -> u.name() + " (" + u.role().name().toLowerCase(java.util.Locale.ROOT) + ")").toList());
        admin.setVisible(session.can(Role.ADMIN));
        admin.setManaged(session.can(Role.ADMIN));
        message.setText("Logged in as " + session.who() + "; PINs are " + session.users().minPinLength()
                + " to 12 digits");
    }

    private void changeOwnPin() {
        char[] old = oldPin.getText().toCharArray();
        String result;
        try {
            if (!newPin.getText().equals(repeatPin.getText())) {
                result = "The two new PINs differ; nothing changed";
            } else {
                result = session.changeOwnPin(old, newPin.getText()) ? "Your PIN is changed"
                        : "Current PIN wrong; nothing changed";
            }
        } catch (IllegalArgumentException | AuditException | IOException e) {
            result = "Not changed: " + e.getMessage();
        } finally {
            Arrays.fill(old, '\0');
            oldPin.clear();
            newPin.clear();
            repeatPin.clear();
        }
        reload();
        message.setText(result);
    }

    private void add() {
        act("added " + name.getText(), () -> session.addUser(name.getText().trim(), role.getValue(), pin.getText()));
    }

    private void remove() {
        act("removed " + name.getText(), () -> session.removeUser(name.getText().trim()));
    }

    private void setRole() {
        act(name.getText() + " is now " + role.getValue().name().toLowerCase(java.util.Locale.ROOT),
                () -> session.setRole(name.getText().trim(), role.getValue()));
    }

    private void resetPin() {
        act("new PIN set for " + name.getText(), () -> session.resetPin(name.getText().trim(), pin.getText()));
    }

    private interface Change {
        void run() throws IOException;
    }

    private void act(String done, Change change) {
        String result;
        try {
            change.run();
            result = done;
        } catch (IllegalArgumentException | AuditException | IOException e) {
            result = "Not done: " + e.getMessage();
        }
        pin.clear();
        reload();
        message.setText(result);
    }

    /** Types into the admin fields (tests drive the screen as a user would). */
    void fillUser(String user, Role r, String p) {
        name.setText(user);
        role.setValue(r);
        pin.setText(p);
    }

    /** Types into the own-PIN fields. */
    void fillOwnPin(String old, String fresh, String again) {
        oldPin.setText(old);
        newPin.setText(fresh);
        repeatPin.setText(again);
    }

    /** Presses the button labelled {@code text}. */
    void press(String text) {
        root.lookupAll(".big-button").stream().filter(n -> n instanceof Button b && b.getText().equals(text))
                .map(Button.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no button '" + text + "'")).fire();
    }

    String message() {
        return message.getText();
    }

    boolean adminPartShown() {
        return admin.isVisible();
    }

    java.util.List<String> listed() {
        return java.util.List.copyOf(list.getItems());
    }

    Node view() {
        return root;
    }
}
