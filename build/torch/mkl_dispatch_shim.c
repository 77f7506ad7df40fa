/*
 * libtorch's MKL chooses its kernels by the processor's vendor before its features: on AMD it takes its AVX2 kernels
 * ("def_zen") even where the cores run AVX-512 at full rate (Zen 5: two 512-bit FMA units), which halves dense
 * products there (docs/throughput.md, "MKL's kernels on AMD"). MKL asks this function whether the processor is Intel;
 * libtorch_cpu.so calls it through its procedure linkage table, so a definition in a library loaded with RTLD_GLOBAL
 * is found before MKL's own. MKL then still picks the widest kernels the processor's feature flags allow.
 * Grid loads this library only on AMD processors with AVX-512 (Grid.Engine.Runtime.MklDispatch; GRID_MKL_AVX512=off
 * keeps MKL's own choice).
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
