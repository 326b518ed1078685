/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.flavour;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build check of the station's flavour: the default build carries ONNX Runtime for the CPU, {@code -Pcuda} (which
 * sets {@code linesight.flavour=cuda} for the tests) its GPU build — exactly one of them, since both hold the same
 * {@code ai.onnxruntime} classes and the first on the class path would win unseen. The test class path is the
 * station's runtime class path plus test libraries, so this is what {@code target/lib} and the launcher get.
 */
class OnnxRuntimeFlavourTest {
    private static final String FLAVOUR = System.getProperty("linesight.flavour", "cpu");
    private static final String CUDA_PROVIDER = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

    private static String expectedJarPrefix() {
        return FLAVOUR.equals("cuda") ? "onnxruntime_gpu-" : "onnxruntime-";
    }

    @Test
    void classPath_carriesExactlyOneOnnxRuntime_theFlavoursOwn() throws Exception {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources("ai/onnxruntime/OrtEnvironment.class"));
        assertThat(copies).as("jars holding ONNX Runtime's classes (flavour %s)", FLAVOUR).hasSize(1);
        String jar = copies.getFirst().toString().replaceFirst("!/.*$", "");
        assertThat(jar.substring(jar.lastIndexOf('/') + 1)).as("flavour %s", FLAVOUR)
                .startsWith(expectedJarPrefix()).matches(expectedJarPrefix() + "[0-9.]+\\.jar");
    }

    @Test
    void cudaProviderLibrary_isThereExactlyInTheCudaFlavour() {
        boolean present = OrtEnvironment.class.getClassLoader().getResource(CUDA_PROVIDER) != null;
        assertThat(present).as("%s in the ONNX Runtime of flavour %s", CUDA_PROVIDER, FLAVOUR).isEqualTo(FLAVOUR.equals("cuda"));
    }
}
