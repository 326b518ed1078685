/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.inference.api.InferenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo recipe asking for CUDA, loaded as the station loads a recipe (start-up, change-over), on a machine where
 * CUDA cannot start. No mock: the CPU build of ONNX Runtime has no CUDA provider, the GPU build finds no NVIDIA
 * libraries here. Where CUDA starts, the test is skipped (the model then runs on the GPU).
 */
class GpuDemandingRecipeTest {
    @TempDir
    Path dir;

    private Recipe demoRecipe(String gpuLines) throws Exception {
        String yaml = DemoRecipeFiles.copyModelAndReadYaml(dir);
        assertThat(yaml).contains("\n  iou: 0.45\n");
        Path file = dir.resolve("bracket-gpu.yaml");
        Files.writeString(file, yaml.replace("\n  iou: 0.45\n", "\n  iou: 0.45\n  provider: cuda\n" + gpuLines));
        return RecipeLoader.load(file, "bracket-gpu.yaml", dir, null);
    }

    @Test
    void recipeDemandingCuda_withoutCuda_isRefused_withTheCauseAndNoSessionOnCpu() throws Exception {
        try (ActiveRecipe fallingBack = ActiveRecipe.load(demoRecipe(""), dir, 2)) {
            assumeTrue(fallingBack.executionProvider().equals("CPU"), "CUDA starts here: nothing to refuse");
        }
        Recipe demanding = demoRecipe("  gpu:\n    cpuFallback: false\n");
        assertThat(demanding.model().gpuOrDefaults().cpuFallback()).isFalse();
        assertThatThrownBy(() -> ActiveRecipe.load(demanding, dir, 2))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("bracket-defects.onnx: the recipe demands CUDA (model.gpu.cpuFallback: false)")
                .hasMessageContaining("not run on CPU");
    }

    @Test
    void recipeAllowingFallback_runsOnCpu_andNamesItForDiagnostics() throws Exception {
        try (ActiveRecipe active = ActiveRecipe.load(demoRecipe(""), dir, 2)) {
            assumeTrue(!active.executionProvider().contains("CUDA"), "CUDA starts here");
            assertThat(active.executionProvider()).as("both workers' sessions, named once").isEqualTo("CPU");
        }
    }
}
