/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import io.linesight.lighting.wire.ControllerRefusedException;
import io.linesight.lighting.wire.PipeTransport;
import io.linesight.lighting.wire.LinkTiming;
import io.linesight.lighting.wire.WireLightController;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The serial path's framing: a serial controller echoes every character and answers in whatever pieces the UART
 * delivers. No serial port exists on the build machine, so the device is a script behind {@link PipeTransport}.
 */
class GardasoftSerialFramingTest {

    /** Echo one character at a time, then CR LF, then the given reply split in two. */
    private static Function<String, List<String>> echoingDevice(String reply) {
        return command -> {
            List<String> chunks = new ArrayList<>();
            for (char c : command.toCharArray()) {
                chunks.add(String.valueOf(c));
            }
            chunks.add("\r\n");
            int half = reply.length() / 2;
            chunks.add(reply.substring(0, half));
            chunks.add(reply.substring(half));
            return chunks;
        };
    }

    private static WireLightController open(PipeTransport pipe, int timeoutMs) throws LightException {
        return WireLightController.open("ring", pipe, new GardasoftProtocol(), new LinkTiming(timeoutMs, 200, 5_000, LinkTiming.DEFAULT_POLL_MS));
    }

    @Test
    void echoedCharacterByCharacter_thenPrompt_isAcknowledged() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> command.equals("VR")
                ? echoingDevice("RT260F v1.2\r\n>").apply(command)
                : echoingDevice(">").apply(command));
        try (WireLightController light = open(pipe, 500)) {
            light.apply(1, strobe(1, 40, 500, 10));
            assertThat(pipe.commands()).containsExactly("VR", "RT1,0.5,0.01,40");
            assertThat(light.healthy()).isTrue();
        }
    }

    @Test
    void errorSplitAcrossReads_isRefusedWithItsCode() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> command.equals("VR")
                ? List.of("VR\r\n>")
                : echoingDevice("Err 21\r\n>").apply(command));
        try (WireLightController light = open(pipe, 500)) {
            ControllerRefusedException refused = catchThrowableOfType(ControllerRefusedException.class, () -> light.apply(1, strobe(1, 40, 500, 10)));
            assertThat(refused.controllerCode()).isEqualTo(21);
        }
    }

    @Test
    void silentDevice_timesOut() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> command.equals("VR") ? List.of(">") : List.of());
        try (WireLightController light = open(pipe, 100)) {
            LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 40, 500, 10)));
            assertThat(e.code()).isEqualTo(Code.TIMEOUT);
        }
    }

    @Test
    void echoWithoutPrompt_timesOut_showingWhatArrived() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> command.equals("VR") ? List.of(">") : List.of(command + "\r\n"));
        try (WireLightController light = open(pipe, 100)) {
            LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 40, 500, 10)));
            assertThat(e.code()).isEqualTo(Code.TIMEOUT);
            assertThat(e).hasMessageContaining("received 'RT1,0.5,0.01,40\\r\\n'");
        }
    }

    @Test
    void staleInputBeforeACommand_isDiscarded_notTakenForItsReply() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> List.of(">"));
        try (WireLightController light = open(pipe, 500)) {
            pipe.deviceSends("Err 9\r\n>");
            light.apply(1, strobe(1, 40, 500, 10));
            assertThat(light.healthy()).isTrue();
        }
    }

    @Test
    void unpluggedAdapter_failsNotConnected() throws LightException {
        PipeTransport pipe = new PipeTransport(command -> command.equals("VR") ? List.of(">") : List.of());
        try (WireLightController light = open(pipe, 2_000)) {
            pipe.hangUp();
            LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 40, 500, 10)));
            assertThat(e.code()).isEqualTo(Code.NOT_CONNECTED);
        }
    }
}
