; perimeter benchmark query: no-new-access on statements-10 (statements)
; encoding: optimized (finite action domain with merged intervals, resources by ARN component, per-principal-kind case split)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun new.action () Int)
(declare-fun new.principal.account () String)
(declare-fun new.principal.has_account () Bool)
(declare-fun new.principal.arn () String)
(declare-fun new.principal.has_arn () Bool)
(declare-fun new.principal.role_arn () String)
(declare-fun new.principal.has_role_arn () Bool)
(declare-fun new.resource_account () String)
(declare-fun new.has_resource_account () Bool)
(declare-fun new.principal.name () String)
(declare-fun new.principal.has_name () Bool)
(declare-fun new.resource.plain () String)
(declare-fun |new.resource.arn[5]| () String)
(declare-fun |new.resource.arn[4]| () String)
(declare-fun |new.resource.arn[3]| () String)
(declare-fun |new.resource.arn[2]| () String)
(declare-fun |new.resource.arn[1]| () String)
(declare-fun new.resource.is_arn () Bool)
(declare-fun new.resource () String)
(declare-fun new.principal.path () String)
(declare-fun new.principal.partition () String)
(declare-fun new.principal.text () String)
(declare-fun new.principal.kind () PrincipalKind)
(declare-fun new.principal.session () String)
(declare-fun new.principal.provider () String)
(assert (and (>= new.action 0) (< new.action 22779)))
(assert (=> (not new.principal.has_account) (= new.principal.account "")))
(assert (=> (not new.principal.has_arn) (= new.principal.arn "")))
(assert (=> (not new.principal.has_role_arn) (= new.principal.role_arn "")))
(assert (=> (not new.has_resource_account) (= new.resource_account "")))
(assert (=> (not new.principal.has_name) (= new.principal.name "")))
(assert (str.in_re new.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= new.resource
   (ite new.resource.is_arn
        (str.++ "arn:"
                |new.resource.arn[1]|
                ":"
                |new.resource.arn[2]|
                ":"
                |new.resource.arn[3]|
                ":"
                |new.resource.arn[4]|
                ":"
                |new.resource.arn[5]|)
        new.resource.plain)))
(assert (let ((a!1 (str.in_re |new.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |new.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |new.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |new.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> new.resource.is_arn (and a!1 a!2 a!3 a!4))))
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
(let ((a!5 (str.in_re new.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not new.resource.is_arn) (not a!5))))))))
(assert (distinct new.resource ""))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.path a!1)
                (str.in_re new.principal.name (re.* a!4))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (= new.principal.arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":user/"
                           new.principal.path
                           new.principal.name))
                (not new.principal.has_role_arn))))
  (or (not (= new.principal.kind USER)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.path a!1)
                (str.in_re new.principal.name (re.* a!4))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (= new.principal.arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":role/"
                           new.principal.path
                           new.principal.name))
                new.principal.has_role_arn
                (= new.principal.role_arn new.principal.arn))))
  (or (not (= new.principal.kind ROLE)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.path a!1)
                (str.in_re new.principal.name (re.* a!4))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (str.in_re new.principal.session (re.* a!4))
                (>= (str.len new.principal.session) 1)
                (<= (str.len new.principal.session) 64)
                (>= (str.len new.principal.session) 2)
                new.principal.has_role_arn
                (= new.principal.arn
                   (str.++ "arn:aws:sts::"
                           new.principal.account
                           ":assumed-role/"
                           new.principal.name
                           "/"
                           new.principal.session))
                (= new.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":role/"
                           new.principal.path
                           new.principal.name)))))
  (or (not (= new.principal.kind ROLE_SESSION)) a!5))))))
(assert (let ((a!1 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (not new.principal.has_role_arn)
                (not new.principal.has_name)
                (not (and (>= new.action 20986) (<= new.action 20988)))
                (= new.principal.arn
                   (str.++ "arn:aws:iam::" new.principal.account ":root")))))
  (or (not (= new.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+")))
      (a!4 (or (not (and (>= new.action 20986) (<= new.action 21002)))
               (= new.action 20992))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.name (re.* a!3))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (not new.principal.has_role_arn)
                a!4
                (= new.principal.arn
                   (str.++ "arn:aws:sts::"
                           new.principal.account
                           ":federated-user/"
                           new.principal.name)))))
  (or (not (= new.principal.kind FEDERATED_USER)) a!5))))))
(assert (or (not (= new.principal.kind ANONYMOUS))
    (and (not new.principal.has_account)
         (not new.principal.has_arn)
         (not new.principal.has_role_arn)
         (not new.principal.has_name)
         (= new.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= new.principal.kind SERVICE))
      (and (not new.principal.has_account)
           (not new.principal.has_arn)
           (not new.principal.has_role_arn)
           (str.in_re new.principal.text a!2)
           (= new.principal.name new.principal.text))))))
(assert (let ((a!1 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (not new.principal.has_role_arn)
                (= new.principal.partition "aws")
                (not new.principal.has_name)
                (= new.principal.text new.principal.arn)
                (> (str.len new.principal.provider) 0)
                (or (= new.principal.arn
                       (str.++ "arn:aws:iam::"
                               new.principal.account
                               ":oidc-provider/"
                               new.principal.provider))
                    (= new.principal.arn
                       (str.++ "arn:aws:iam::"
                               new.principal.account
                               ":saml-provider/"
                               new.principal.provider))))))
(let ((a!2 (or (and (not new.principal.has_account)
                    (not new.principal.has_arn)
                    (not new.principal.has_role_arn)
                    (or (= new.principal.text "accounts.google.com")
                        (= new.principal.text "cognito-identity.amazonaws.com")
                        (= new.principal.text "graph.facebook.com")
                        (= new.principal.text "www.amazon.com"))
                    (= new.principal.name new.principal.text))
               a!1)))
(let ((a!3 (and (or (and (>= new.action 20987) (<= new.action 20988))
                    (= new.action 21000)
                    (= new.action 21002))
                a!2)))
  (or (not (= new.principal.kind WEB_IDENTITY)) a!3)))))
(assert (let ((a!1 (str.in_re new.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= new.principal.kind CANONICAL_USER))
      (and (not new.principal.has_account)
           (not new.principal.has_arn)
           (not new.principal.has_role_arn)
           (not new.principal.has_name)
           a!1
           (= (str.len new.principal.text) 64)
           (>= new.action 18153)
           (<= new.action 18333)))))
(assert (let ((a!1 (and (str.in_re new.resource_account (re.* (re.range "0" "9")))
                (= (str.len new.resource_account) 12))))
  (or (not new.has_resource_account) a!1)))
(assert (let ((a!1 (not (or (= new.action 18154)
                    (= new.action 18160)
                    (and (>= new.action 18162) (<= new.action 18163))
                    (= new.action 18171)
                    (= new.action 18173)
                    (and (>= new.action 18175) (<= new.action 18178))
                    (= new.action 18193)
                    (= new.action 18202)
                    (= new.action 18204)
                    (and (>= new.action 18207) (<= new.action 18223))
                    (and (>= new.action 18225) (<= new.action 18227))
                    (and (>= new.action 18229) (<= new.action 18230))
                    (= new.action 18251)
                    (and (>= new.action 18263) (<= new.action 18265))
                    (= new.action 18276)
                    (= new.action 18278)
                    (= new.action 18281)
                    (and (>= new.action 18285) (<= new.action 18301))
                    (and (>= new.action 18303) (<= new.action 18304))
                    (= new.action 18315)
                    (and (>= new.action 18327) (<= new.action 18329)))))
      (a!2 (str.in_re |new.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (and (and new.resource.is_arn a!2)
                (= |new.resource.arn[3]| "")
                (= |new.resource.arn[4]| "")
                (str.in_re |new.resource.arn[5]| (re.++ a!3 (re.* re.allchar)))))
      (a!6 (str.in_re |new.resource.arn[5]|
                      (re.++ (re.++ a!5 (str.to_re "/object/"))
                             (re.* re.allchar)))))
(let ((a!7 (not (or a!4 (and (and new.resource.is_arn a!2) a!6)))))
  (or a!1 a!7)))))
(assert (let ((a!1 (not (or (= new.action 18153)
                    (= new.action 18156)
                    (and (>= new.action 18181) (<= new.action 18186))
                    (and (>= new.action 18235) (<= new.action 18250))
                    (= new.action 18256)
                    (= new.action 18268)
                    (and (>= new.action 18270) (<= new.action 18271))
                    (= new.action 18275)
                    (and (>= new.action 18306) (<= new.action 18314))
                    (and (>= new.action 18318) (<= new.action 18322))
                    (= new.action 18332))))
      (a!2 (str.in_re |new.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (not (str.in_re |new.resource.arn[5]|
                           (re.++ (re.++ a!3 re.allchar) (re.* re.allchar))))))
(let ((a!6 (not (or (and (and new.resource.is_arn a!2)
                         (= |new.resource.arn[3]| "")
                         (= |new.resource.arn[4]| "")
                         a!4)
                    (and (and new.resource.is_arn a!2)
                         (str.in_re |new.resource.arn[5]| a!5))))))
  (or a!1 a!6)))))
(assert (or (= new.principal.kind USER)
    (= new.principal.kind ROLE_SESSION)
    (= new.principal.kind ROLE)
    (= new.principal.kind FEDERATED_USER)))
(assert (or (not new.has_resource_account)
    (= new.resource_account new.principal.account)))
(assert (let ((a!1 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!2 (re.++ (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                         (re.union (str.to_re "Q") (str.to_re "q")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!3 (re.++ (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                         (re.union (str.to_re "S") (str.to_re "s")))
                  (str.to_re "-")))
      (a!8 (str.in_re |new.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!14 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!20 (re.++ (re.++ (re.union (str.to_re "K") (str.to_re "k"))
                          (re.union (str.to_re "M") (str.to_re "m")))
                   (re.union (str.to_re "S") (str.to_re "s")))))
(let ((a!4 (re.++ (re.++ a!3 (re.union (str.to_re "E") (str.to_re "e")))
                  (re.union (str.to_re "A") (str.to_re "a"))))
      (a!9 (and (= new.action 18263)
                (ite new.resource.is_arn
                     (and (str.in_re |new.resource.arn[1]| a!1)
                          a!8
                          (= |new.resource.arn[3]| "")
                          (= |new.resource.arn[4]| "")
                          (= |new.resource.arn[5]| "data-1"))
                     false)))
      (a!11 (and (str.in_re |new.resource.arn[1]| a!1)
                 a!8
                 (= |new.resource.arn[3]| "")
                 (= |new.resource.arn[4]| "")
                 (str.in_re |new.resource.arn[5]|
                            (re.++ (str.to_re "data-3/") (re.* re.allchar)))))
      (a!13 (and (str.in_re |new.resource.arn[1]| a!1)
                 a!8
                 (= |new.resource.arn[3]| "")
                 (= |new.resource.arn[4]| "")
                 (str.in_re |new.resource.arn[5]|
                            (re.++ (str.to_re "data-5/") (re.* re.allchar)))))
      (a!15 (re.++ (re.++ a!14 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!22 (and (= new.action 18263)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           a!8
                           (= |new.resource.arn[3]| "")
                           (= |new.resource.arn[4]| "")
                           (= |new.resource.arn[5]| "data-9"))
                      false))))
(let ((a!5 (re.++ (re.++ a!4 (re.union (str.to_re "S") (str.to_re "s")))
                  (re.union (str.to_re "T") (str.to_re "t"))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (str.in_re |new.resource.arn[3]|
                      (re.++ (re.++ a!5 (str.to_re "-")) (str.to_re "1"))))
      (a!17 (str.in_re |new.resource.arn[2]|
                       (re.++ a!16 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!7 (and (= new.action 20353)
                (ite new.resource.is_arn
                     (and (str.in_re |new.resource.arn[1]| a!1)
                          (str.in_re |new.resource.arn[2]| a!2)
                          a!6
                          (= |new.resource.arn[4]| "111122223333")
                          (= |new.resource.arn[5]| "data-0"))
                     false)))
      (a!10 (and (= new.action 20353)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-2"))
                      false)))
      (a!12 (and (= new.action 20355)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-4"))
                      false)))
      (a!18 (and (= new.action 7087)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           a!17
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "table/data-6"))
                      false)))
      (a!19 (and (= new.action 20355)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-7"))
                      false)))
      (a!21 (and (= new.action 12373)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!20)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "key/data-8"))
                      false))))
(let ((a!23 (and (not (or (= new.principal.kind ANONYMOUS)
                          (= new.principal.kind SERVICE)
                          (= new.principal.kind WEB_IDENTITY)
                          (= new.principal.kind CANONICAL_USER)))
                 (or a!7
                     a!9
                     a!10
                     (and (= new.action 18235)
                          (ite new.resource.is_arn a!11 false))
                     a!12
                     (and (= new.action 18306)
                          (ite new.resource.is_arn a!13 false))
                     a!18
                     a!19
                     a!21
                     a!22))))
(let ((a!24 (ite (or (not new.has_resource_account)
                     (and new.principal.has_account
                          (= new.resource_account new.principal.account)))
                 (ite false false (or (= new.principal.kind ACCOUNT_ROOT) a!23))
                 false)))
  (or (= new.action 20992) a!24)))))))))
(assert (let ((a!1 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!2 (re.++ (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                         (re.union (str.to_re "Q") (str.to_re "q")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!3 (re.++ (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                         (re.union (str.to_re "S") (str.to_re "s")))
                  (str.to_re "-")))
      (a!8 (str.in_re |new.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!14 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!20 (re.++ (re.++ (re.union (str.to_re "K") (str.to_re "k"))
                          (re.union (str.to_re "M") (str.to_re "m")))
                   (re.union (str.to_re "S") (str.to_re "s")))))
(let ((a!4 (re.++ (re.++ a!3 (re.union (str.to_re "E") (str.to_re "e")))
                  (re.union (str.to_re "A") (str.to_re "a"))))
      (a!9 (and (= new.action 18263)
                (ite new.resource.is_arn
                     (and (str.in_re |new.resource.arn[1]| a!1)
                          a!8
                          (= |new.resource.arn[3]| "")
                          (= |new.resource.arn[4]| "")
                          (= |new.resource.arn[5]| "data-1"))
                     false)))
      (a!11 (and (str.in_re |new.resource.arn[1]| a!1)
                 a!8
                 (= |new.resource.arn[3]| "")
                 (= |new.resource.arn[4]| "")
                 (str.in_re |new.resource.arn[5]|
                            (re.++ (str.to_re "data-3/") (re.* re.allchar)))))
      (a!13 (and (str.in_re |new.resource.arn[1]| a!1)
                 a!8
                 (= |new.resource.arn[3]| "")
                 (= |new.resource.arn[4]| "")
                 (str.in_re |new.resource.arn[5]|
                            (re.++ (str.to_re "data-5/") (re.* re.allchar)))))
      (a!15 (re.++ (re.++ a!14 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m")))))
(let ((a!5 (re.++ (re.++ a!4 (re.union (str.to_re "S") (str.to_re "s")))
                  (re.union (str.to_re "T") (str.to_re "t"))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (str.in_re |new.resource.arn[3]|
                      (re.++ (re.++ a!5 (str.to_re "-")) (str.to_re "1"))))
      (a!17 (str.in_re |new.resource.arn[2]|
                       (re.++ a!16 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!7 (and (= new.action 20353)
                (ite new.resource.is_arn
                     (and (str.in_re |new.resource.arn[1]| a!1)
                          (str.in_re |new.resource.arn[2]| a!2)
                          a!6
                          (= |new.resource.arn[4]| "111122223333")
                          (= |new.resource.arn[5]| "data-0"))
                     false)))
      (a!10 (and (= new.action 20353)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-2"))
                      false)))
      (a!12 (and (= new.action 20355)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-4"))
                      false)))
      (a!18 (and (= new.action 7087)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           a!17
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "table/data-6"))
                      false)))
      (a!19 (and (= new.action 20355)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!2)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "data-7"))
                      false)))
      (a!21 (and (= new.action 12373)
                 (ite new.resource.is_arn
                      (and (str.in_re |new.resource.arn[1]| a!1)
                           (str.in_re |new.resource.arn[2]| a!20)
                           a!6
                           (= |new.resource.arn[4]| "111122223333")
                           (= |new.resource.arn[5]| "key/data-8"))
                      false))))
(let ((a!22 (and (not (or (= new.principal.kind ANONYMOUS)
                          (= new.principal.kind SERVICE)
                          (= new.principal.kind WEB_IDENTITY)
                          (= new.principal.kind CANONICAL_USER)))
                 (or a!7
                     a!9
                     a!10
                     (and (= new.action 18235)
                          (ite new.resource.is_arn a!11 false))
                     a!12
                     (and (= new.action 18306)
                          (ite new.resource.is_arn a!13 false))
                     a!18
                     a!19
                     a!21))))
(let ((a!23 (ite (or (not new.has_resource_account)
                     (and new.principal.has_account
                          (= new.resource_account new.principal.account)))
                 (ite false false (or (= new.principal.kind ACCOUNT_ROOT) a!22))
                 false)))
  (not (or (= new.action 20992) a!23))))))))))
(check-sat)
(exit)
