package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Status codes and {@code info} values as exceptions naming the call; none of it loads the CUDA presets. */
class SolverChecksTest {

    @Test
    void failingStatusesNameTheCallAndTheCode() {
        assertDoesNotThrow(() -> SolverChecks.cusolver("cusolverDnSgesvdj", 0));
        assertDoesNotThrow(() -> SolverChecks.cublas("cublasSgemm", 0));
        CudaLinalgException s = assertThrows(CudaLinalgException.class, () -> SolverChecks.cusolver("cusolverDnSgesvdj", 3));
        assertEquals("cusolverDnSgesvdj failed: CUSOLVER_STATUS_INVALID_VALUE (3)", s.getMessage());
        CudaLinalgException b = assertThrows(CudaLinalgException.class, () -> SolverChecks.cublas("cublasSgemm", 13));
        assertEquals("cublasSgemm failed: CUBLAS_STATUS_EXECUTION_FAILED (13)", b.getMessage());
        assertEquals("cuSOLVER status", SolverChecks.cusolverName(999));
        assertEquals("CUBLAS_STATUS_ALLOC_FAILED", SolverChecks.cublasName(3));
        assertEquals("CUSOLVER_STATUS_ALLOC_FAILED", SolverChecks.cusolverName(2));
    }

    @Test
    void infoReportsNoConvergenceAndWrongParameters() {
        assertDoesNotThrow(() -> SolverChecks.info("cusolverDnSsyevj", new int[] {0}));
        CudaLinalgException c = assertThrows(CudaLinalgException.class, () -> SolverChecks.info("cusolverDnSgesvdj", new int[] {4}));
        assertTrue(c.getMessage().startsWith("cusolverDnSgesvdj did not converge within its tolerance and sweep limit (info = 4)"),
                c.getMessage());
        CudaLinalgException batch = assertThrows(CudaLinalgException.class,
                () -> SolverChecks.info("cusolverDnSgesvdjBatched", new int[] {0, 0, 33, 0}));
        assertTrue(batch.getMessage().contains("did not converge for matrix 2 of 4"), batch.getMessage());
        CudaLinalgException p = assertThrows(CudaLinalgException.class, () -> SolverChecks.info("cusolverDnSsyevj", new int[] {-5}));
        assertEquals("cusolverDnSsyevj: parameter 5 is wrong (info = -5)", p.getMessage());
    }

    @Test
    void workspaceHasAtLeastOneElement() {
        assertEquals(1, SolverChecks.workspaceElements("x_bufferSize", 0));
        assertEquals(4096, SolverChecks.workspaceElements("x_bufferSize", 4096));
        CudaLinalgException e = assertThrows(CudaLinalgException.class, () -> SolverChecks.workspaceElements("x_bufferSize", -1));
        assertTrue(e.getMessage().contains("x_bufferSize returned a negative workspace size -1"), e.getMessage());
    }

    @Test
    void theStatusConstantsAreInlinedSoNoPresetClassLoads() {
        SolverChecks.cusolverName(1);
        SolverChecks.cublasName(1);
        assertFalse(LoadedClasses.loaded("org.bytedeco.cuda.global.cusolver"), "cusolver loaded");
        assertFalse(LoadedClasses.loaded("org.bytedeco.cuda.global.cublas"), "cublas loaded");
    }
}
