;; The tagger's per-token hidden layer and output logits (tagger.ts, tokenLogProbs), for a window
;; of 5 and 4 global features, with 128-bit SIMD over the hidden units. Bit-identical to the
;; JavaScript loop: each hidden unit is summed in the same order with float32 additions (the JS
;; loop rounds to float32 after every addition, which gives the same value), and the three logits
;; add the active units' products one unit after another in float64, as the JS loop does.
;; Compiled into taggerKernelWasm.ts by `node scripts/build-tagger-kernel.mjs`.
;;
;; logits(n, rows, H, rowsOf, g, out, b1, w2, pad, gmt, b2), pointers in bytes:
;;   rowsOf   i32 per token of the sentence's first min(n, rows + 2): where its [5][H] float32 row
;;            is, as an index of float32s, so at byte rowsOf[t] × 4 (rows stay resident in this
;;            memory, cached per string)
;;   g        n × 4 float32 global features (0 or 1: the caller checks)
;;   out      rows × 3 float64 logits (before the log-sum-exp, which the caller does)
;;   b1 [H], w2 [3][H], pad [5][H], gmt [4][H] float32; b2 3 × float64. H is a multiple of 4.
;;
;; project(D, R, wvt, v, out): out[r] = Σ_d Wv[r][d] · v[d] for r < R (a multiple of 4), from wvt,
;; Wv transposed to [D][R] float32, and v [D] float32, into out [R] float32. Bit-identical to the
;; JavaScript loop (tagger.ts, project): each sum starts at 0 and adds the exact float64 products
;; in the order of d, then rounds once to float32; two float64 lanes hold two rows' sums.
(module
  (memory (export "memory") 1)
  (func (export "logits")
    (param $n i32) (param $rows i32) (param $H i32)
    (param $rowsOf i32) (param $g i32) (param $out i32)
    (param $b1 i32) (param $w2 i32) (param $pad i32) (param $gmt i32) (param $b2 i32)
    (local $i i32) (local $H4 i32) (local $j i32) (local $at i32)
    (local $pa i32) (local $pb i32) (local $pc i32) (local $pd i32) (local $pe i32)
    (local $w2b i32) (local $w2c i32) (local $gm1 i32) (local $gm2 i32) (local $gm3 i32)
    (local $q0 f32) (local $q1 f32) (local $q2 f32) (local $q3 f32)
    (local $x v128) (local $v f32) (local $u f64)
    (local $l0 f64) (local $l1 f64) (local $l2 f64)
    (local.set $H4 (i32.shl (local.get $H) (i32.const 2)))
    (local.set $w2b (i32.add (local.get $w2) (local.get $H4)))
    (local.set $w2c (i32.add (local.get $w2b) (local.get $H4)))
    (local.set $gm1 (i32.add (local.get $gmt) (local.get $H4)))
    (local.set $gm2 (i32.add (local.get $gm1) (local.get $H4)))
    (local.set $gm3 (i32.add (local.get $gm2) (local.get $H4)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        ;; Window position k reads block k of token i + k - 2, or of the padding row outside the sentence.
        (local.set $pa
          (if (result i32) (i32.lt_s (i32.sub (local.get $i) (i32.const 2)) (i32.const 0))
            (then (local.get $pad))
            (else (i32.shl (i32.load (i32.add (local.get $rowsOf) (i32.shl (i32.sub (local.get $i) (i32.const 2)) (i32.const 2)))) (i32.const 2)))))
        (local.set $pb (i32.add (local.get $H4)
          (if (result i32) (i32.lt_s (i32.sub (local.get $i) (i32.const 1)) (i32.const 0))
            (then (local.get $pad))
            (else (i32.shl (i32.load (i32.add (local.get $rowsOf) (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))) (i32.const 2))))))
        (local.set $pc (i32.add (i32.shl (local.get $H4) (i32.const 1))
          (i32.shl (i32.load (i32.add (local.get $rowsOf) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (local.set $pd (i32.add (i32.mul (local.get $H4) (i32.const 3))
          (if (result i32) (i32.ge_s (i32.add (local.get $i) (i32.const 1)) (local.get $n))
            (then (local.get $pad))
            (else (i32.shl (i32.load (i32.add (local.get $rowsOf) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))) (i32.const 2))))))
        (local.set $pe (i32.add (i32.shl (local.get $H4) (i32.const 2))
          (if (result i32) (i32.ge_s (i32.add (local.get $i) (i32.const 2)) (local.get $n))
            (then (local.get $pad))
            (else (i32.shl (i32.load (i32.add (local.get $rowsOf) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2)))) (i32.const 2))))))
        (local.set $at (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $q0 (f32.load (local.get $at)))
        (local.set $q1 (f32.load offset=4 (local.get $at)))
        (local.set $q2 (f32.load offset=8 (local.get $at)))
        (local.set $q3 (f32.load offset=12 (local.get $at)))
        (local.set $l0 (f64.load (local.get $b2)))
        (local.set $l1 (f64.load offset=8 (local.get $b2)))
        (local.set $l2 (f64.load offset=16 (local.get $b2)))
        (local.set $j (i32.const 0))
        (block $units_done
          (loop $units
            (br_if $units_done (i32.ge_u (local.get $j) (local.get $H4)))
            (local.set $x (f32x4.add (v128.load (i32.add (local.get $b1) (local.get $j))) (v128.load (i32.add (local.get $pa) (local.get $j)))))
            (local.set $x (f32x4.add (local.get $x) (v128.load (i32.add (local.get $pb) (local.get $j)))))
            (local.set $x (f32x4.add (local.get $x) (v128.load (i32.add (local.get $pc) (local.get $j)))))
            (local.set $x (f32x4.add (local.get $x) (v128.load (i32.add (local.get $pd) (local.get $j)))))
            (local.set $x (f32x4.add (local.get $x) (v128.load (i32.add (local.get $pe) (local.get $j)))))
            (if (f32.ne (local.get $q0) (f32.const 0))
              (then (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $gmt) (local.get $j))) (f32x4.splat (local.get $q0)))))))
            (if (f32.ne (local.get $q1) (f32.const 0))
              (then (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $gm1) (local.get $j))) (f32x4.splat (local.get $q1)))))))
            (if (f32.ne (local.get $q2) (f32.const 0))
              (then (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $gm2) (local.get $j))) (f32x4.splat (local.get $q2)))))))
            (if (f32.ne (local.get $q3) (f32.const 0))
              (then (local.set $x (f32x4.add (local.get $x) (f32x4.mul (v128.load (i32.add (local.get $gm3) (local.get $j))) (f32x4.splat (local.get $q3)))))))
            ;; Active units, in unit order: logit += w2 · unit, in float64.
            (local.set $v (f32x4.extract_lane 0 (local.get $x)))
            (if (f32.gt (local.get $v) (f32.const 0))
              (then
                (local.set $u (f64.promote_f32 (local.get $v)))
                (local.set $l0 (f64.add (local.get $l0) (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $w2) (local.get $j)))) (local.get $u))))
                (local.set $l1 (f64.add (local.get $l1) (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $w2b) (local.get $j)))) (local.get $u))))
                (local.set $l2 (f64.add (local.get $l2) (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $w2c) (local.get $j)))) (local.get $u))))))
            (local.set $v (f32x4.extract_lane 1 (local.get $x)))
            (if (f32.gt (local.get $v) (f32.const 0))
              (then
                (local.set $u (f64.promote_f32 (local.get $v)))
                (local.set $l0 (f64.add (local.get $l0) (f64.mul (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $w2) (local.get $j)))) (local.get $u))))
                (local.set $l1 (f64.add (local.get $l1) (f64.mul (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $w2b) (local.get $j)))) (local.get $u))))
                (local.set $l2 (f64.add (local.get $l2) (f64.mul (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $w2c) (local.get $j)))) (local.get $u))))))
            (local.set $v (f32x4.extract_lane 2 (local.get $x)))
            (if (f32.gt (local.get $v) (f32.const 0))
              (then
                (local.set $u (f64.promote_f32 (local.get $v)))
                (local.set $l0 (f64.add (local.get $l0) (f64.mul (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $w2) (local.get $j)))) (local.get $u))))
                (local.set $l1 (f64.add (local.get $l1) (f64.mul (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $w2b) (local.get $j)))) (local.get $u))))
                (local.set $l2 (f64.add (local.get $l2) (f64.mul (f64.promote_f32 (f32.load offset=8 (i32.add (local.get $w2c) (local.get $j)))) (local.get $u))))))
            (local.set $v (f32x4.extract_lane 3 (local.get $x)))
            (if (f32.gt (local.get $v) (f32.const 0))
              (then
                (local.set $u (f64.promote_f32 (local.get $v)))
                (local.set $l0 (f64.add (local.get $l0) (f64.mul (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $w2) (local.get $j)))) (local.get $u))))
                (local.set $l1 (f64.add (local.get $l1) (f64.mul (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $w2b) (local.get $j)))) (local.get $u))))
                (local.set $l2 (f64.add (local.get $l2) (f64.mul (f64.promote_f32 (f32.load offset=12 (i32.add (local.get $w2c) (local.get $j)))) (local.get $u))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $units)))
        (local.set $at (i32.add (local.get $out) (i32.mul (local.get $i) (i32.const 24))))
        (f64.store (local.get $at) (local.get $l0))
        (f64.store offset=8 (local.get $at) (local.get $l1))
        (f64.store offset=16 (local.get $at) (local.get $l2))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))
  (func (export "project")
    (param $D i32) (param $R i32) (param $wvt i32) (param $v i32) (param $out i32)
    (local $r4 i32) (local $R4 i32) (local $d i32) (local $w i32) (local $at i32)
    (local $x v128) (local $wv v128) (local $s01 v128) (local $s23 v128)
    (local.set $R4 (i32.shl (local.get $R) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r4) (local.get $R4)))
        (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s23 (v128.const f64x2 0 0))
        (local.set $w (i32.add (local.get $wvt) (local.get $r4)))
        (local.set $d (i32.const 0))
        (block $sum_done
          (loop $sum
            (br_if $sum_done (i32.ge_u (local.get $d) (local.get $D)))
            (local.set $x (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $v) (i32.shl (local.get $d) (i32.const 2)))))))
            (local.set $wv (v128.load (local.get $w)))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $wv)) (local.get $x))))
            (local.set $s23 (f64x2.add (local.get $s23)
              (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $wv) (local.get $wv))) (local.get $x))))
            (local.set $w (i32.add (local.get $w) (local.get $R4)))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $sum)))
        (local.set $at (i32.add (local.get $out) (local.get $r4)))
        (f32.store (local.get $at) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s01))))
        (f32.store offset=4 (local.get $at) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s01))))
        (f32.store offset=8 (local.get $at) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s23))))
        (f32.store offset=12 (local.get $at) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s23))))
        (local.set $r4 (i32.add (local.get $r4) (i32.const 16)))
        (br $rows)))))
