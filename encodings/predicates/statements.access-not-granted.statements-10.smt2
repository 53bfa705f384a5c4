; perimeter benchmark query: access-not-granted on statements-10 (statements)
; encoding: predicates (optimized, with simple case-sensitive globs as string predicates (prefix, suffix, contains) instead of regexes)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun access.action () Int)
(declare-fun access.principal.account () String)
(declare-fun access.principal.has_account () Bool)
(declare-fun access.principal.arn () String)
(declare-fun access.principal.has_arn () Bool)
(declare-fun access.principal.role_arn () String)
(declare-fun access.principal.has_role_arn () Bool)
(declare-fun access.resource_account () String)
(declare-fun access.has_resource_account () Bool)
(declare-fun access.principal.name () String)
(declare-fun access.principal.has_name () Bool)
(declare-fun access.resource.plain () String)
(declare-fun |access.resource.arn[5]| () String)
(declare-fun |access.resource.arn[4]| () String)
(declare-fun |access.resource.arn[3]| () String)
(declare-fun |access.resource.arn[2]| () String)
(declare-fun |access.resource.arn[1]| () String)
(declare-fun access.resource.is_arn () Bool)
(declare-fun access.resource () String)
(declare-fun access.principal.path () String)
(declare-fun access.principal.partition () String)
(declare-fun access.principal.text () String)
(declare-fun access.principal.kind () PrincipalKind)
(declare-fun access.principal.session () String)
(declare-fun access.principal.provider () String)
(assert (and (>= access.action 0) (< access.action 22779)))
(assert (=> (not access.principal.has_account) (= access.principal.account "")))
(assert (=> (not access.principal.has_arn) (= access.principal.arn "")))
(assert (=> (not access.principal.has_role_arn) (= access.principal.role_arn "")))
(assert (=> (not access.has_resource_account) (= access.resource_account "")))
(assert (=> (not access.principal.has_name) (= access.principal.name "")))
(assert (str.in_re access.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= access.resource
   (ite access.resource.is_arn
        (str.++ "arn:"
                |access.resource.arn[1]|
                ":"
                |access.resource.arn[2]|
                ":"
                |access.resource.arn[3]|
                ":"
                |access.resource.arn[4]|
                ":"
                |access.resource.arn[5]|)
        access.resource.plain)))
(assert (let ((a!1 (str.in_re |access.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |access.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |access.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |access.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> access.resource.is_arn (and a!1 a!2 a!3 a!4))))
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
(let ((a!5 (str.in_re access.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not access.resource.is_arn) (not a!5))))))))
(assert (distinct access.resource ""))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.path a!1)
                (str.in_re access.principal.name (re.* a!4))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (= access.principal.arn
                   (str.++ "arn:aws:iam::"
                           access.principal.account
                           ":user/"
                           access.principal.path
                           access.principal.name))
                (not access.principal.has_role_arn))))
  (or (not (= access.principal.kind USER)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.path a!1)
                (str.in_re access.principal.name (re.* a!4))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (= access.principal.arn
                   (str.++ "arn:aws:iam::"
                           access.principal.account
                           ":role/"
                           access.principal.path
                           access.principal.name))
                access.principal.has_role_arn
                (= access.principal.role_arn access.principal.arn))))
  (or (not (= access.principal.kind ROLE)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.path a!1)
                (str.in_re access.principal.name (re.* a!4))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (str.in_re access.principal.session (re.* a!4))
                (>= (str.len access.principal.session) 1)
                (<= (str.len access.principal.session) 64)
                (>= (str.len access.principal.session) 2)
                access.principal.has_role_arn
                (= access.principal.arn
                   (str.++ "arn:aws:sts::"
                           access.principal.account
                           ":assumed-role/"
                           access.principal.name
                           "/"
                           access.principal.session))
                (= access.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           access.principal.account
                           ":role/"
                           access.principal.path
                           access.principal.name)))))
  (or (not (= access.principal.kind ROLE_SESSION)) a!5))))))
(assert (let ((a!1 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (not access.principal.has_role_arn)
                (not access.principal.has_name)
                (not (and (>= access.action 20986) (<= access.action 20988)))
                (= access.principal.arn
                   (str.++ "arn:aws:iam::" access.principal.account ":root")))))
  (or (not (= access.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+")))
      (a!4 (or (not (and (>= access.action 20986) (<= access.action 21002)))
               (= access.action 20992))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.name (re.* a!3))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (not access.principal.has_role_arn)
                a!4
                (= access.principal.arn
                   (str.++ "arn:aws:sts::"
                           access.principal.account
                           ":federated-user/"
                           access.principal.name)))))
  (or (not (= access.principal.kind FEDERATED_USER)) a!5))))))
(assert (or (not (= access.principal.kind ANONYMOUS))
    (and (not access.principal.has_account)
         (not access.principal.has_arn)
         (not access.principal.has_role_arn)
         (not access.principal.has_name)
         (= access.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= access.principal.kind SERVICE))
      (and (not access.principal.has_account)
           (not access.principal.has_arn)
           (not access.principal.has_role_arn)
           (str.in_re access.principal.text a!2)
           (= access.principal.name access.principal.text))))))
(assert (let ((a!1 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (not access.principal.has_role_arn)
                (= access.principal.partition "aws")
                (not access.principal.has_name)
                (= access.principal.text access.principal.arn)
                (> (str.len access.principal.provider) 0)
                (or (= access.principal.arn
                       (str.++ "arn:aws:iam::"
                               access.principal.account
                               ":oidc-provider/"
                               access.principal.provider))
                    (= access.principal.arn
                       (str.++ "arn:aws:iam::"
                               access.principal.account
                               ":saml-provider/"
                               access.principal.provider))))))
(let ((a!2 (or (and (not access.principal.has_account)
                    (not access.principal.has_arn)
                    (not access.principal.has_role_arn)
                    (or (= access.principal.text "accounts.google.com")
                        (= access.principal.text
                           "cognito-identity.amazonaws.com")
                        (= access.principal.text "graph.facebook.com")
                        (= access.principal.text "www.amazon.com"))
                    (= access.principal.name access.principal.text))
               a!1)))
(let ((a!3 (and (or (and (>= access.action 20987) (<= access.action 20988))
                    (= access.action 21000)
                    (= access.action 21002))
                a!2)))
  (or (not (= access.principal.kind WEB_IDENTITY)) a!3)))))
(assert (let ((a!1 (str.in_re access.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= access.principal.kind CANONICAL_USER))
      (and (not access.principal.has_account)
           (not access.principal.has_arn)
           (not access.principal.has_role_arn)
           (not access.principal.has_name)
           a!1
           (= (str.len access.principal.text) 64)
           (>= access.action 18153)
           (<= access.action 18333)))))
(assert (let ((a!1 (and (str.in_re access.resource_account (re.* (re.range "0" "9")))
                (= (str.len access.resource_account) 12))))
  (or (not access.has_resource_account) a!1)))
(assert (let ((a!1 (not (or (= access.action 18154)
                    (= access.action 18160)
                    (and (>= access.action 18162) (<= access.action 18163))
                    (= access.action 18171)
                    (= access.action 18173)
                    (and (>= access.action 18175) (<= access.action 18178))
                    (= access.action 18193)
                    (= access.action 18202)
                    (= access.action 18204)
                    (and (>= access.action 18207) (<= access.action 18223))
                    (and (>= access.action 18225) (<= access.action 18227))
                    (and (>= access.action 18229) (<= access.action 18230))
                    (= access.action 18251)
                    (and (>= access.action 18263) (<= access.action 18265))
                    (= access.action 18276)
                    (= access.action 18278)
                    (= access.action 18281)
                    (and (>= access.action 18285) (<= access.action 18301))
                    (and (>= access.action 18303) (<= access.action 18304))
                    (= access.action 18315)
                    (and (>= access.action 18327) (<= access.action 18329)))))
      (a!2 (str.in_re |access.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (and (and access.resource.is_arn a!2)
                (= |access.resource.arn[3]| "")
                (= |access.resource.arn[4]| "")
                (str.in_re |access.resource.arn[5]|
                           (re.++ a!3 (re.* re.allchar)))))
      (a!6 (str.in_re |access.resource.arn[5]|
                      (re.++ (re.++ a!5 (str.to_re "/object/"))
                             (re.* re.allchar)))))
(let ((a!7 (not (or a!4 (and (and access.resource.is_arn a!2) a!6)))))
  (or a!1 a!7)))))
(assert (let ((a!1 (not (or (= access.action 18153)
                    (= access.action 18156)
                    (and (>= access.action 18181) (<= access.action 18186))
                    (and (>= access.action 18235) (<= access.action 18250))
                    (= access.action 18256)
                    (= access.action 18268)
                    (and (>= access.action 18270) (<= access.action 18271))
                    (= access.action 18275)
                    (and (>= access.action 18306) (<= access.action 18314))
                    (and (>= access.action 18318) (<= access.action 18322))
                    (= access.action 18332))))
      (a!2 (str.in_re |access.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (not (str.in_re |access.resource.arn[5]|
                           (re.++ (re.++ a!3 re.allchar) (re.* re.allchar))))))
(let ((a!6 (not (or (and (and access.resource.is_arn a!2)
                         (= |access.resource.arn[3]| "")
                         (= |access.resource.arn[4]| "")
                         a!4)
                    (and (and access.resource.is_arn a!2)
                         (str.in_re |access.resource.arn[5]| a!5))))))
  (or a!1 a!6)))))
(assert (or (= access.principal.kind USER)
    (= access.principal.kind ROLE_SESSION)
    (= access.principal.kind ROLE)
    (= access.principal.kind FEDERATED_USER)))
(assert (or (not access.has_resource_account)
    (= access.resource_account access.principal.account)))
(assert (= access.action 10690))
(assert (let ((a!1 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!2 (re.++ (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                         (re.union (str.to_re "Q") (str.to_re "q")))
                  (re.union (str.to_re "S") (str.to_re "s"))))
      (a!3 (re.++ (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                         (re.union (str.to_re "S") (str.to_re "s")))
                  (str.to_re "-")))
      (a!8 (str.in_re |access.resource.arn[2]|
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
      (a!9 (and (= access.action 18263)
                (ite access.resource.is_arn
                     (and (str.in_re |access.resource.arn[1]| a!1)
                          a!8
                          (= |access.resource.arn[3]| "")
                          (= |access.resource.arn[4]| "")
                          (= |access.resource.arn[5]| "data-1"))
                     false)))
      (a!11 (and (= access.action 18235)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           a!8
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-3/" |access.resource.arn[5]|))
                      false)))
      (a!13 (and (= access.action 18306)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           a!8
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-5/" |access.resource.arn[5]|))
                      false)))
      (a!15 (re.++ (re.++ a!14 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!22 (and (= access.action 18263)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           a!8
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (= |access.resource.arn[5]| "data-9"))
                      false))))
(let ((a!5 (re.++ (re.++ a!4 (re.union (str.to_re "S") (str.to_re "s")))
                  (re.union (str.to_re "T") (str.to_re "t"))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (str.in_re |access.resource.arn[3]|
                      (re.++ (re.++ a!5 (str.to_re "-")) (str.to_re "1"))))
      (a!17 (str.in_re |access.resource.arn[2]|
                       (re.++ a!16 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!7 (and (= access.action 20353)
                (ite access.resource.is_arn
                     (and (str.in_re |access.resource.arn[1]| a!1)
                          (str.in_re |access.resource.arn[2]| a!2)
                          a!6
                          (= |access.resource.arn[4]| "111122223333")
                          (= |access.resource.arn[5]| "data-0"))
                     false)))
      (a!10 (and (= access.action 20353)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           (str.in_re |access.resource.arn[2]| a!2)
                           a!6
                           (= |access.resource.arn[4]| "111122223333")
                           (= |access.resource.arn[5]| "data-2"))
                      false)))
      (a!12 (and (= access.action 20355)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           (str.in_re |access.resource.arn[2]| a!2)
                           a!6
                           (= |access.resource.arn[4]| "111122223333")
                           (= |access.resource.arn[5]| "data-4"))
                      false)))
      (a!18 (and (= access.action 7087)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           a!17
                           a!6
                           (= |access.resource.arn[4]| "111122223333")
                           (= |access.resource.arn[5]| "table/data-6"))
                      false)))
      (a!19 (and (= access.action 20355)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           (str.in_re |access.resource.arn[2]| a!2)
                           a!6
                           (= |access.resource.arn[4]| "111122223333")
                           (= |access.resource.arn[5]| "data-7"))
                      false)))
      (a!21 (and (= access.action 12373)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!1)
                           (str.in_re |access.resource.arn[2]| a!20)
                           a!6
                           (= |access.resource.arn[4]| "111122223333")
                           (= |access.resource.arn[5]| "key/data-8"))
                      false))))
(let ((a!23 (and (not (or (= access.principal.kind ANONYMOUS)
                          (= access.principal.kind SERVICE)
                          (= access.principal.kind WEB_IDENTITY)
                          (= access.principal.kind CANONICAL_USER)))
                 (or a!7 a!9 a!10 a!11 a!12 a!13 a!18 a!19 a!21 a!22))))
(let ((a!24 (ite (or (not access.has_resource_account)
                     (and access.principal.has_account
                          (= access.resource_account access.principal.account)))
                 (ite false
                      false
                      (or (= access.principal.kind ACCOUNT_ROOT) a!23))
                 false)))
  (or (= access.action 20992) a!24)))))))))
(check-sat)
(exit)
