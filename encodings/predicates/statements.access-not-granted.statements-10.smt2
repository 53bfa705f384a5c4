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
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re access.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                a!4
                (str.in_re access.principal.name (re.* a!3))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (= access.principal.arn
                   (str.++ "arn:aws:iam::"
                           access.principal.account
                           ":user/"
                           access.principal.path
                           access.principal.name))
                (not access.principal.has_role_arn))))
  (or (not (= access.principal.kind USER)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re access.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                a!4
                (str.in_re access.principal.name (re.* a!3))
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
  (or (not (= access.principal.kind ROLE)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.name (re.* a!3))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (str.in_re access.principal.session (re.* a!3))
                (>= (str.len access.principal.session) 1)
                (<= (str.len access.principal.session) 64)
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
                           access.principal.name)))))
  (or (not (= access.principal.kind ROLE_SESSION)) a!4))))))
(assert (let ((a!1 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (not access.principal.has_role_arn)
                (not access.principal.has_name)
                (= access.principal.arn
                   (str.++ "arn:aws:iam::" access.principal.account ":root")))))
  (or (not (= access.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and access.principal.has_account
                (str.in_re access.principal.account (re.* (re.range "0" "9")))
                (= (str.len access.principal.account) 12)
                access.principal.has_arn
                (= access.principal.text access.principal.arn)
                (= access.principal.partition "aws")
                (str.in_re access.principal.name (re.* a!3))
                (>= (str.len access.principal.name) 1)
                (<= (str.len access.principal.name) 64)
                (not access.principal.has_role_arn)
                (= access.principal.arn
                   (str.++ "arn:aws:sts::"
                           access.principal.account
                           ":federated-user/"
                           access.principal.name)))))
  (or (not (= access.principal.kind FEDERATED_USER)) a!4))))))
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
  (or (not (= access.principal.kind WEB_IDENTITY))
      (and (not access.principal.has_account)
           (not access.principal.has_arn)
           (not access.principal.has_role_arn)
           (or (= access.principal.text "accounts.google.com")
               (= access.principal.text "cognito-identity.amazonaws.com")
               (= access.principal.text "graph.facebook.com")
               (= access.principal.text "www.amazon.com"))
           (= access.principal.name access.principal.text))
      a!1)))
(assert (let ((a!1 (str.in_re access.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= access.principal.kind CANONICAL_USER))
      (and (not access.principal.has_account)
           (not access.principal.has_arn)
           (not access.principal.has_role_arn)
           (not access.principal.has_name)
           a!1
           (= (str.len access.principal.text) 64)))))
(assert (let ((a!1 (and (str.in_re access.resource_account (re.* (re.range "0" "9")))
                (= (str.len access.resource_account) 12))))
  (or (not access.has_resource_account) a!1)))
(assert (or (= access.principal.kind USER)
    (= access.principal.kind ROLE_SESSION)
    (= access.principal.kind ROLE)
    (= access.principal.kind FEDERATED_USER)))
(assert (or (not access.has_resource_account)
    (= access.resource_account access.principal.account)))
(assert (= access.action 10690))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!3 (and (>= access.action 20986)
                (<= access.action 21002)
                (ite access.resource.is_arn
                     (or (str.prefixof "role/" |access.resource.arn[1]|)
                         (str.prefixof "role/" |access.resource.arn[2]|)
                         (str.prefixof "role/" |access.resource.arn[3]|)
                         (str.prefixof "role/" |access.resource.arn[4]|)
                         (str.prefixof "role/" |access.resource.arn[5]|)
                         (str.contains |access.resource.arn[5]| ":role/"))
                     (str.contains access.resource.plain ":role/"))))
      (a!4 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!5 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))
                  (re.union (str.to_re "Q") (str.to_re "q"))))
      (a!7 (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!12 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (str.to_re "3")))
      (a!18 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!24 (re.++ (re.union (re.union (str.to_re "K") (str.to_re "k"))
                             (str.to_re "\u{212a}"))
                   (re.union (str.to_re "M") (str.to_re "m")))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":kms"))
                  (re.opt (re.++ (str.to_re ":") (re.* re.allchar)))))
      (a!6 (re.++ a!5
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!8 (re.++ (re.++ (re.++ a!7 (str.to_re "-"))
                         (re.union (str.to_re "E") (str.to_re "e")))
                  (re.union (str.to_re "A") (str.to_re "a"))))
      (a!13 (and (= access.action 18263)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!4)
                           (str.in_re |access.resource.arn[2]| a!12)
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-1/" |access.resource.arn[5]|))
                      false)))
      (a!15 (and (= access.action 18235)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!4)
                           (str.in_re |access.resource.arn[2]| a!12)
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-3/" |access.resource.arn[5]|))
                      false)))
      (a!17 (and (= access.action 18306)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!4)
                           (str.in_re |access.resource.arn[2]| a!12)
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-5/" |access.resource.arn[5]|))
                      false)))
      (a!19 (re.++ (re.++ a!18 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!25 (re.++ a!24
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!27 (and (= access.action 18263)
                 (ite access.resource.is_arn
                      (and (str.in_re |access.resource.arn[1]| a!4)
                           (str.in_re |access.resource.arn[2]| a!12)
                           (= |access.resource.arn[3]| "")
                           (= |access.resource.arn[4]| "")
                           (str.prefixof "data-9/" |access.resource.arn[5]|))
                      false))))
(let ((a!9 (re.++ a!8
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!20 (re.++ (re.++ a!19 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!10 (re.++ (re.++ a!9 (re.union (str.to_re "T") (str.to_re "t")))
                   (str.to_re "-")))
      (a!21 (str.in_re |access.resource.arn[2]|
                       (re.++ a!20 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!11 (and (str.in_re |access.resource.arn[1]| a!4)
                 (str.in_re |access.resource.arn[2]| a!6)
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "data-0")))
      (a!14 (and (str.in_re |access.resource.arn[1]| a!4)
                 (str.in_re |access.resource.arn[2]| a!6)
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "data-2")))
      (a!16 (and (str.in_re |access.resource.arn[1]| a!4)
                 (str.in_re |access.resource.arn[2]| a!6)
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "data-4")))
      (a!22 (and (str.in_re |access.resource.arn[1]| a!4)
                 a!21
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "table/data-6")))
      (a!23 (and (str.in_re |access.resource.arn[1]| a!4)
                 (str.in_re |access.resource.arn[2]| a!6)
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "data-7")))
      (a!26 (and (str.in_re |access.resource.arn[1]| a!4)
                 (str.in_re |access.resource.arn[2]| a!25)
                 (str.in_re |access.resource.arn[3]|
                            (re.++ a!10 (str.to_re "1")))
                 (= |access.resource.arn[4]| "111122223333")
                 (= |access.resource.arn[5]| "key/data-8"))))
(let ((a!28 (and (not (or (= access.principal.kind ANONYMOUS)
                          (= access.principal.kind SERVICE)
                          (= access.principal.kind WEB_IDENTITY)
                          (= access.principal.kind CANONICAL_USER)))
                 (or (and (= access.action 20353)
                          (ite access.resource.is_arn a!11 false))
                     a!13
                     (and (= access.action 20353)
                          (ite access.resource.is_arn a!14 false))
                     a!15
                     (and (= access.action 20355)
                          (ite access.resource.is_arn a!16 false))
                     a!17
                     (and (= access.action 7087)
                          (ite access.resource.is_arn a!22 false))
                     (and (= access.action 20355)
                          (ite access.resource.is_arn a!23 false))
                     (and (= access.action 12373)
                          (ite access.resource.is_arn a!26 false))
                     a!27))))
(let ((a!29 (ite (or (ite access.resource.is_arn
                          (= |access.resource.arn[2]| "kms")
                          (str.in_re access.resource.plain a!2))
                     a!3)
                 false
                 (or (= access.principal.kind ACCOUNT_ROOT) a!28))))
(let ((a!30 (ite (or (not access.has_resource_account)
                     (and access.principal.has_account
                          (= access.resource_account access.principal.account)))
                 a!29
                 false)))
  (or (= access.action 20992) a!30))))))))))
(check-sat)
(exit)
