; perimeter benchmark query: invariant on statements-10 (statements)
; encoding: optimized (finite action domain with merged intervals, resources by ARN component, per-principal-kind case split)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun space.action () Int)
(declare-fun space.principal.account () String)
(declare-fun space.principal.has_account () Bool)
(declare-fun space.principal.arn () String)
(declare-fun space.principal.has_arn () Bool)
(declare-fun space.principal.role_arn () String)
(declare-fun space.principal.has_role_arn () Bool)
(declare-fun space.resource_account () String)
(declare-fun space.has_resource_account () Bool)
(declare-fun space.principal.name () String)
(declare-fun space.principal.has_name () Bool)
(declare-fun space.resource.plain () String)
(declare-fun |space.resource.arn[5]| () String)
(declare-fun |space.resource.arn[4]| () String)
(declare-fun |space.resource.arn[3]| () String)
(declare-fun |space.resource.arn[2]| () String)
(declare-fun |space.resource.arn[1]| () String)
(declare-fun space.resource.is_arn () Bool)
(declare-fun space.resource () String)
(declare-fun space.principal.path () String)
(declare-fun space.principal.partition () String)
(declare-fun space.principal.text () String)
(declare-fun space.principal.kind () PrincipalKind)
(declare-fun space.principal.session () String)
(declare-fun space.principal.provider () String)
(assert (and (>= space.action 0) (< space.action 22779)))
(assert (=> (not space.principal.has_account) (= space.principal.account "")))
(assert (=> (not space.principal.has_arn) (= space.principal.arn "")))
(assert (=> (not space.principal.has_role_arn) (= space.principal.role_arn "")))
(assert (=> (not space.has_resource_account) (= space.resource_account "")))
(assert (=> (not space.principal.has_name) (= space.principal.name "")))
(assert (str.in_re space.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= space.resource
   (ite space.resource.is_arn
        (str.++ "arn:"
                |space.resource.arn[1]|
                ":"
                |space.resource.arn[2]|
                ":"
                |space.resource.arn[3]|
                ":"
                |space.resource.arn[4]|
                ":"
                |space.resource.arn[5]|)
        space.resource.plain)))
(assert (let ((a!1 (str.in_re |space.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |space.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |space.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |space.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> space.resource.is_arn (and a!1 a!2 a!3 a!4))))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!3 (re.++ (re.++ a!2 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!4 (re.++ (re.++ a!3 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!5 (str.in_re space.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not space.resource.is_arn) (not a!5))))))))
(assert (distinct space.resource ""))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (= space.principal.text space.principal.arn)
                (= space.principal.partition "aws")
                (str.in_re space.principal.path a!1)
                (str.in_re space.principal.name (re.* a!4))
                (>= (str.len space.principal.name) 1)
                (<= (str.len space.principal.name) 64)
                (= space.principal.arn
                   (str.++ "arn:aws:iam::"
                           space.principal.account
                           ":user/"
                           space.principal.path
                           space.principal.name))
                (not space.principal.has_role_arn))))
  (or (not (= space.principal.kind USER)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (= space.principal.text space.principal.arn)
                (= space.principal.partition "aws")
                (str.in_re space.principal.path a!1)
                (str.in_re space.principal.name (re.* a!4))
                (>= (str.len space.principal.name) 1)
                (<= (str.len space.principal.name) 64)
                (= space.principal.arn
                   (str.++ "arn:aws:iam::"
                           space.principal.account
                           ":role/"
                           space.principal.path
                           space.principal.name))
                space.principal.has_role_arn
                (= space.principal.role_arn space.principal.arn))))
  (or (not (= space.principal.kind ROLE)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (= space.principal.text space.principal.arn)
                (= space.principal.partition "aws")
                (str.in_re space.principal.path a!1)
                (str.in_re space.principal.name (re.* a!4))
                (>= (str.len space.principal.name) 1)
                (<= (str.len space.principal.name) 64)
                (str.in_re space.principal.session (re.* a!4))
                (>= (str.len space.principal.session) 1)
                (<= (str.len space.principal.session) 64)
                (>= (str.len space.principal.session) 2)
                space.principal.has_role_arn
                (= space.principal.arn
                   (str.++ "arn:aws:sts::"
                           space.principal.account
                           ":assumed-role/"
                           space.principal.name
                           "/"
                           space.principal.session))
                (= space.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           space.principal.account
                           ":role/"
                           space.principal.path
                           space.principal.name)))))
  (or (not (= space.principal.kind ROLE_SESSION)) a!5))))))
(assert (let ((a!1 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (= space.principal.text space.principal.arn)
                (= space.principal.partition "aws")
                (not space.principal.has_role_arn)
                (not space.principal.has_name)
                (not (and (>= space.action 20986) (<= space.action 20988)))
                (= space.principal.arn
                   (str.++ "arn:aws:iam::" space.principal.account ":root")))))
  (or (not (= space.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+")))
      (a!4 (or (not (and (>= space.action 20986) (<= space.action 21002)))
               (= space.action 20992))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (= space.principal.text space.principal.arn)
                (= space.principal.partition "aws")
                (str.in_re space.principal.name (re.* a!3))
                (>= (str.len space.principal.name) 1)
                (<= (str.len space.principal.name) 64)
                (not space.principal.has_role_arn)
                a!4
                (= space.principal.arn
                   (str.++ "arn:aws:sts::"
                           space.principal.account
                           ":federated-user/"
                           space.principal.name)))))
  (or (not (= space.principal.kind FEDERATED_USER)) a!5))))))
(assert (or (not (= space.principal.kind ANONYMOUS))
    (and (not space.principal.has_account)
         (not space.principal.has_arn)
         (not space.principal.has_role_arn)
         (not space.principal.has_name)
         (= space.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= space.principal.kind SERVICE))
      (and (not space.principal.has_account)
           (not space.principal.has_arn)
           (not space.principal.has_role_arn)
           (str.in_re space.principal.text a!2)
           (= space.principal.name space.principal.text))))))
(assert (let ((a!1 (and space.principal.has_account
                (str.in_re space.principal.account (re.* (re.range "0" "9")))
                (= (str.len space.principal.account) 12)
                space.principal.has_arn
                (not space.principal.has_role_arn)
                (= space.principal.partition "aws")
                (not space.principal.has_name)
                (= space.principal.text space.principal.arn)
                (> (str.len space.principal.provider) 0)
                (or (= space.principal.arn
                       (str.++ "arn:aws:iam::"
                               space.principal.account
                               ":oidc-provider/"
                               space.principal.provider))
                    (= space.principal.arn
                       (str.++ "arn:aws:iam::"
                               space.principal.account
                               ":saml-provider/"
                               space.principal.provider))))))
(let ((a!2 (or (and (not space.principal.has_account)
                    (not space.principal.has_arn)
                    (not space.principal.has_role_arn)
                    (or (= space.principal.text "accounts.google.com")
                        (= space.principal.text
                           "cognito-identity.amazonaws.com")
                        (= space.principal.text "graph.facebook.com")
                        (= space.principal.text "www.amazon.com"))
                    (= space.principal.name space.principal.text))
               a!1)))
(let ((a!3 (and (or (and (>= space.action 20987) (<= space.action 20988))
                    (= space.action 21000)
                    (= space.action 21002))
                a!2)))
  (or (not (= space.principal.kind WEB_IDENTITY)) a!3)))))
(assert (let ((a!1 (str.in_re space.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= space.principal.kind CANONICAL_USER))
      (and (not space.principal.has_account)
           (not space.principal.has_arn)
           (not space.principal.has_role_arn)
           (not space.principal.has_name)
           a!1
           (= (str.len space.principal.text) 64)
           (>= space.action 18153)
           (<= space.action 18333)))))
(assert (let ((a!1 (and (str.in_re space.resource_account (re.* (re.range "0" "9")))
                (= (str.len space.resource_account) 12))))
  (or (not space.has_resource_account) a!1)))
(assert (let ((a!1 (re.* (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                           (str.to_re "-")))))
  (or (not space.resource.is_arn)
      (and (str.in_re |space.resource.arn[1]| a!1)
           (str.in_re |space.resource.arn[2]| a!1)
           (str.in_re |space.resource.arn[3]| a!1)))))
(assert (let ((a!1 (not (and space.resource.is_arn
                     (> (str.len |space.resource.arn[4]|) 0)))))
  (or a!1
      (and space.has_resource_account
           (= space.resource_account |space.resource.arn[4]|)))))
(assert (let ((a!1 (not (or (= space.action 18154)
                    (= space.action 18160)
                    (and (>= space.action 18162) (<= space.action 18163))
                    (= space.action 18171)
                    (= space.action 18173)
                    (and (>= space.action 18175) (<= space.action 18178))
                    (= space.action 18193)
                    (= space.action 18202)
                    (= space.action 18204)
                    (and (>= space.action 18207) (<= space.action 18223))
                    (and (>= space.action 18225) (<= space.action 18227))
                    (and (>= space.action 18229) (<= space.action 18230))
                    (= space.action 18251)
                    (and (>= space.action 18263) (<= space.action 18265))
                    (= space.action 18276)
                    (= space.action 18278)
                    (= space.action 18281)
                    (and (>= space.action 18285) (<= space.action 18301))
                    (and (>= space.action 18303) (<= space.action 18304))
                    (= space.action 18315)
                    (and (>= space.action 18327) (<= space.action 18329)))))
      (a!2 (str.in_re |space.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (and (and space.resource.is_arn a!2)
                (= |space.resource.arn[3]| "")
                (= |space.resource.arn[4]| "")
                (str.in_re |space.resource.arn[5]|
                           (re.++ a!3 (re.* re.allchar)))))
      (a!6 (str.in_re |space.resource.arn[5]|
                      (re.++ (re.++ a!5 (str.to_re "/object/"))
                             (re.* re.allchar)))))
(let ((a!7 (not (or a!4 (and (and space.resource.is_arn a!2) a!6)))))
  (or a!1 a!7)))))
(assert (let ((a!1 (not (or (= space.action 18153)
                    (= space.action 18156)
                    (and (>= space.action 18181) (<= space.action 18186))
                    (and (>= space.action 18235) (<= space.action 18250))
                    (= space.action 18256)
                    (= space.action 18268)
                    (and (>= space.action 18270) (<= space.action 18271))
                    (= space.action 18275)
                    (and (>= space.action 18306) (<= space.action 18314))
                    (and (>= space.action 18318) (<= space.action 18322))
                    (= space.action 18332))))
      (a!2 (str.in_re |space.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (not (str.in_re |space.resource.arn[5]|
                           (re.++ (re.++ a!3 re.allchar) (re.* re.allchar))))))
(let ((a!6 (not (or (and (and space.resource.is_arn a!2)
                         (= |space.resource.arn[3]| "")
                         (= |space.resource.arn[4]| "")
                         a!4)
                    (and (and space.resource.is_arn a!2)
                         (str.in_re |space.resource.arn[5]| a!5))))))
  (or a!1 a!6)))))
(assert (= space.principal.kind ROLE_SESSION))
(assert (and (>= space.action 10556) (<= space.action 10746)))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!3 (and (>= space.action 20986)
                (<= space.action 21002)
                (ite space.resource.is_arn
                     (or (str.prefixof "role/" |space.resource.arn[1]|)
                         (str.prefixof "role/" |space.resource.arn[2]|)
                         (str.prefixof "role/" |space.resource.arn[3]|)
                         (str.prefixof "role/" |space.resource.arn[4]|)
                         (str.prefixof "role/" |space.resource.arn[5]|)
                         (str.contains |space.resource.arn[5]| ":role/"))
                     (str.contains space.resource.plain ":role/"))))
      (a!4 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!5 (re.++ (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                         (re.union (str.to_re "Q") (str.to_re "q")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!6 (re.++ (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                         (re.union (str.to_re "S") (str.to_re "s")))
                  (str.to_re "-")))
      (a!11 (str.in_re |space.resource.arn[2]|
                       (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                              (str.to_re "3"))))
      (a!17 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!23 (re.++ (re.++ (re.union (str.to_re "K") (str.to_re "k"))
                          (re.union (str.to_re "M") (str.to_re "m")))
                   (re.union (str.to_re "S") (str.to_re "s")))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":kms"))
                  (re.opt (re.++ (str.to_re ":") (re.* re.allchar)))))
      (a!7 (re.++ (re.++ a!6 (re.union (str.to_re "E") (str.to_re "e")))
                  (re.union (str.to_re "A") (str.to_re "a"))))
      (a!12 (and (= space.action 18263)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           a!11
                           (= |space.resource.arn[3]| "")
                           (= |space.resource.arn[4]| "")
                           (= |space.resource.arn[5]| "data-1"))
                      false)))
      (a!14 (and (str.in_re |space.resource.arn[1]| a!4)
                 a!11
                 (= |space.resource.arn[3]| "")
                 (= |space.resource.arn[4]| "")
                 (str.in_re |space.resource.arn[5]|
                            (re.++ (str.to_re "data-3/") (re.* re.allchar)))))
      (a!16 (and (str.in_re |space.resource.arn[1]| a!4)
                 a!11
                 (= |space.resource.arn[3]| "")
                 (= |space.resource.arn[4]| "")
                 (str.in_re |space.resource.arn[5]|
                            (re.++ (str.to_re "data-5/") (re.* re.allchar)))))
      (a!18 (re.++ (re.++ a!17 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!25 (and (= space.action 18263)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           a!11
                           (= |space.resource.arn[3]| "")
                           (= |space.resource.arn[4]| "")
                           (= |space.resource.arn[5]| "data-9"))
                      false))))
(let ((a!8 (re.++ (re.++ a!7 (re.union (str.to_re "S") (str.to_re "s")))
                  (re.union (str.to_re "T") (str.to_re "t"))))
      (a!19 (re.++ (re.++ a!18 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!9 (str.in_re |space.resource.arn[3]|
                      (re.++ (re.++ a!8 (str.to_re "-")) (str.to_re "1"))))
      (a!20 (str.in_re |space.resource.arn[2]|
                       (re.++ a!19 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!10 (and (= space.action 20353)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           (str.in_re |space.resource.arn[2]| a!5)
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "data-0"))
                      false)))
      (a!13 (and (= space.action 20353)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           (str.in_re |space.resource.arn[2]| a!5)
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "data-2"))
                      false)))
      (a!15 (and (= space.action 20355)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           (str.in_re |space.resource.arn[2]| a!5)
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "data-4"))
                      false)))
      (a!21 (and (= space.action 7087)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           a!20
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "table/data-6"))
                      false)))
      (a!22 (and (= space.action 20355)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           (str.in_re |space.resource.arn[2]| a!5)
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "data-7"))
                      false)))
      (a!24 (and (= space.action 12373)
                 (ite space.resource.is_arn
                      (and (str.in_re |space.resource.arn[1]| a!4)
                           (str.in_re |space.resource.arn[2]| a!23)
                           a!9
                           (= |space.resource.arn[4]| "111122223333")
                           (= |space.resource.arn[5]| "key/data-8"))
                      false))))
(let ((a!26 (and (not (or (= space.principal.kind ANONYMOUS)
                          (= space.principal.kind SERVICE)
                          (= space.principal.kind WEB_IDENTITY)
                          (= space.principal.kind CANONICAL_USER)))
                 (or a!10
                     a!12
                     a!13
                     (and (= space.action 18235)
                          (ite space.resource.is_arn a!14 false))
                     a!15
                     (and (= space.action 18306)
                          (ite space.resource.is_arn a!16 false))
                     a!21
                     a!22
                     a!24
                     a!25))))
(let ((a!27 (ite (or (ite space.resource.is_arn
                          (= |space.resource.arn[2]| "kms")
                          (str.in_re space.resource.plain a!2))
                     a!3)
                 false
                 (or (= space.principal.kind ACCOUNT_ROOT) a!26))))
(let ((a!28 (ite (or (not space.has_resource_account)
                     (and space.principal.has_account
                          (= space.resource_account space.principal.account)))
                 a!27
                 false)))
  (or (= space.action 20992) a!28))))))))))
(check-sat)
(exit)
