/* The floating-point peak of this machine's cores: 12 independent chains of 256-bit fused multiply-adds (enough
   to hide the FMA latency on any AVX2 core), on one thread and on two. Every matmul's GFLOP/s is bounded by it.
       gcc -O2 -mavx2 -mfma -pthread scripts/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
   The chains start from different values: with equal ones the compiler merges them into one chain. */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
#include <pthread.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void* run(void* arg){
  long n=*(long*)arg;
  __m256 a0=_mm256_set1_ps(1.0f),a1=_mm256_set1_ps(1.1f),a2=_mm256_set1_ps(1.2f),a3=_mm256_set1_ps(1.3f),a4=_mm256_set1_ps(1.4f),a5=_mm256_set1_ps(1.5f),a6=_mm256_set1_ps(1.6f),a7=_mm256_set1_ps(1.7f),a8=_mm256_set1_ps(1.8f),a9=_mm256_set1_ps(1.9f),a10=_mm256_set1_ps(2.0f),a11=_mm256_set1_ps(2.1f);
  __m256 x=_mm256_set1_ps(0.999999f), y=_mm256_set1_ps(1e-7f);
  for(long i=0;i<n;i++){
    a0=_mm256_fmadd_ps(a0,x,y);a1=_mm256_fmadd_ps(a1,x,y);a2=_mm256_fmadd_ps(a2,x,y);a3=_mm256_fmadd_ps(a3,x,y);
    a4=_mm256_fmadd_ps(a4,x,y);a5=_mm256_fmadd_ps(a5,x,y);a6=_mm256_fmadd_ps(a6,x,y);a7=_mm256_fmadd_ps(a7,x,y);
    a8=_mm256_fmadd_ps(a8,x,y);a9=_mm256_fmadd_ps(a9,x,y);a10=_mm256_fmadd_ps(a10,x,y);a11=_mm256_fmadd_ps(a11,x,y);
  }
  __m256 s=_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0,a1),_mm256_add_ps(a2,a3)),_mm256_add_ps(_mm256_add_ps(a4,a5),_mm256_add_ps(a6,a7)));
  s=_mm256_add_ps(s,_mm256_add_ps(_mm256_add_ps(a8,a9),_mm256_add_ps(a10,a11)));
  float o[8];_mm256_storeu_ps(o,s);*(float*)arg=o[0];return 0;
}
int main(){
  long n=200000000;
  for(int threads=1;threads<=2;threads++){
    pthread_t t[2]; long args[2]={n,n};
    double t0=now();
    for(int i=0;i<threads;i++)pthread_create(&t[i],0,run,&args[i]);
    for(int i=0;i<threads;i++)pthread_join(t[i],0);
    double dt=now()-t0;
    printf("%d thread(s): %.1f GFLOP/s\n",threads, threads*n*12.0*8*2/dt/1e9);
  }
}
