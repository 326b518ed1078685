/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import static io.linesight.station.hmi.recipe.RoiDrag.Grab.BOTTOM_LEFT;
import static io.linesight.station.hmi.recipe.RoiDrag.Grab.BOTTOM_RIGHT;
import static io.linesight.station.hmi.recipe.RoiDrag.Grab.MOVE;
import static io.linesight.station.hmi.recipe.RoiDrag.Grab.TOP_LEFT;
import static io.linesight.station.hmi.recipe.RoiDrag.Grab.TOP_RIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.recipe.Roi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RoiDragTest {
    private static final int FW = 1280;
    private static final int FH = 1024;
    private static final Roi ROI = new Roi(400, 300, 200, 100); // right 600, bottom 400

    @Nested
    @DisplayName("a move should")
    class Move {
        @Test
        void keepTheSizeAndShiftByTheDragRounded() {
            assertThat(RoiDrag.drag(ROI, MOVE, 30.4, -20.6, FW, FH)).isEqualTo(new Roi(430, 279, 200, 100));
        }

        @Test
        void stopAtEachEdgeOfTheFrame() {
            assertThat(RoiDrag.drag(ROI, MOVE, -1000, -1000, FW, FH)).isEqualTo(new Roi(0, 0, 200, 100));
            assertThat(RoiDrag.drag(ROI, MOVE, 5000, 5000, FW, FH)).isEqualTo(new Roi(FW - 200, FH - 100, 200, 100));
        }

        @Test
        void bringAStartOutsideTheFrameInside() {
            Roi tooFar = new Roi(1200, 1000, 200, 100);
            assertThat(RoiDrag.drag(tooFar, MOVE, 0, 0, FW, FH)).isEqualTo(new Roi(FW - 200, FH - 100, 200, 100));
        }
    }

    @Nested
    @DisplayName("a corner drag should")
    class Resize {
        @Test
        void moveOnlyThatCornerAndKeepTheOppositeOne() {
            assertThat(RoiDrag.drag(ROI, TOP_LEFT, -50, -40, FW, FH)).isEqualTo(new Roi(350, 260, 250, 140));
            assertThat(RoiDrag.drag(ROI, TOP_RIGHT, 50, -40, FW, FH)).isEqualTo(new Roi(400, 260, 250, 140));
            assertThat(RoiDrag.drag(ROI, BOTTOM_LEFT, -50, 40, FW, FH)).isEqualTo(new Roi(350, 300, 250, 140));
            assertThat(RoiDrag.drag(ROI, BOTTOM_RIGHT, 50, 40, FW, FH)).isEqualTo(new Roi(400, 300, 250, 140));
        }

        @Test
        void shrinkNoFurtherThanTheMinimumSize_evenWhenDraggedPastTheOppositeCorner() {
            int min = RoiDrag.MIN_SIZE;
            assertThat(RoiDrag.drag(ROI, TOP_LEFT, 900, 900, FW, FH)).isEqualTo(new Roi(600 - min, 400 - min, min, min));
            assertThat(RoiDrag.drag(ROI, TOP_RIGHT, -900, 900, FW, FH)).isEqualTo(new Roi(400, 400 - min, min, min));
            assertThat(RoiDrag.drag(ROI, BOTTOM_LEFT, 900, -900, FW, FH)).isEqualTo(new Roi(600 - min, 300, min, min));
            assertThat(RoiDrag.drag(ROI, BOTTOM_RIGHT, -900, -900, FW, FH)).isEqualTo(new Roi(400, 300, min, min));
        }

        @Test
        void growNoFurtherThanTheFrame() {
            assertThat(RoiDrag.drag(ROI, TOP_LEFT, -5000, -5000, FW, FH)).isEqualTo(new Roi(0, 0, 600, 400));
            assertThat(RoiDrag.drag(ROI, TOP_RIGHT, 5000, -5000, FW, FH)).isEqualTo(new Roi(400, 0, FW - 400, 400));
            assertThat(RoiDrag.drag(ROI, BOTTOM_LEFT, -5000, 5000, FW, FH)).isEqualTo(new Roi(0, 300, 600, FH - 300));
            assertThat(RoiDrag.drag(ROI, BOTTOM_RIGHT, 5000, 5000, FW, FH))
                    .isEqualTo(new Roi(400, 300, FW - 400, FH - 300));
        }
    }

    @Nested
    @DisplayName("a touch should")
    class Hit {
        @Test
        void grabEachCornerWithinAHandleOfTouchSize_andTheMiddleForAMove() {
            double s = 0.5; // a 200x100 ROI is 100x50 on screen; a handle is 48 screen px = 96 frame px
            assertThat(RoiDrag.hit(ROI, 400, 300, s)).isEqualTo(TOP_LEFT);
            assertThat(RoiDrag.hit(ROI, 600, 300, s)).isEqualTo(TOP_RIGHT);
            assertThat(RoiDrag.hit(ROI, 400, 400, s)).isEqualTo(BOTTOM_LEFT);
            assertThat(RoiDrag.hit(ROI, 600, 400, s)).isEqualTo(BOTTOM_RIGHT);
            assertThat(RoiDrag.hit(ROI, 500, 350, s)).isEqualTo(MOVE);
            assertThat(RoiDrag.hit(ROI, 900, 350, s)).isNull();
        }

        @Test
        void findAHandleAcrossItsWholeTouchArea_partlyOutsideTheRoi() {
            double s = 0.5;
            // a quarter of the 100 screen px width reaches in (25 > 24, so 24 px = 48 frame px), the rest outwards
            double in = RoiDrag.HANDLE_PX / 2 / s;
            double out = RoiDrag.HANDLE_PX / s - in;
            assertThat(RoiDrag.hit(ROI, 400 - out + 1, 300 - out / 2, s)).isEqualTo(TOP_LEFT);
            assertThat(RoiDrag.hit(ROI, 400 - out - 1, 300, s)).isNull();
            assertThat(RoiDrag.hit(ROI, 600 + out - 1, 400 + out - 1, s)).isEqualTo(BOTTOM_RIGHT);
            // height 50 screen px: a quarter (12.5 px = 25 frame px) reaches in, so y 330 is the body
            assertThat(RoiDrag.hit(ROI, 400 + in - 1, 330, s)).isEqualTo(MOVE);
        }

        @Test
        void stillMoveASmallRoiFromItsMiddle() {
            Roi small = new Roi(264, 266, 124, 124); // about 36 px on screen at 0.29
            double s = 0.29;
            assertThat(RoiDrag.hit(small, 264 + 62, 266 + 62, s)).isEqualTo(MOVE);
            assertThat(RoiDrag.hit(small, 264, 266, s)).isEqualTo(TOP_LEFT);
            // the handle's touch area stays 48 screen px across: from 264 - out to 264 + in
            double in = small.width() * s / 4 / s;
            assertThat(RoiDrag.hit(small, 264 - (RoiDrag.HANDLE_PX / s - in) + 1, 266, s)).isEqualTo(TOP_LEFT);
        }
    }

    @Nested
    @DisplayName("typed numbers should")
    class Typed {
        @Test
        void beTakenWhenInsideTheFrame() {
            assertThat(RoiDrag.typed("rules[1].roi", 0, 0, FW, FH, FW, FH)).isEqualTo(new Roi(0, 0, FW, FH));
        }

        @Test
        void beRefusedNamingTheFieldWhenOutsideTheFrameTooSmallOrNegative() {
            assertThatThrownBy(() -> RoiDrag.typed("rules[1].roi", 1200, 0, 100, 100, FW, FH))
                    .hasMessageContaining("rules[1].roi").hasMessageContaining("inside the 1280x1024 frame");
            assertThatThrownBy(() -> RoiDrag.typed("rules[1].roi", 0, 0, 4, 100, FW, FH))
                    .hasMessageContaining("rules[1].roi").hasMessageContaining("smaller than the minimum");
            assertThatThrownBy(() -> RoiDrag.typed("rules[1].roi", -1, 0, 100, 100, FW, FH))
                    .hasMessageContaining("rules[1].roi").hasMessageContaining("0 or more");
        }
    }

    @Test
    void aFrameSmallerThanTheMinimumIsRefused() {
        assertThatThrownBy(() -> RoiDrag.drag(new Roi(0, 0, 4, 4), MOVE, 1, 1, 8, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8x8");
    }
}
