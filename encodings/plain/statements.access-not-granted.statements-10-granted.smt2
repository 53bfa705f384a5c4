; perimeter benchmark query: access-not-granted on statements-10-granted (statements)
; encoding: plain (one equality per matching action, resources as whole-string regexes, no case split)
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
(assert (= access.action 20353))
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
      (a!8 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "R") (str.to_re "r")))
                  (re.union (str.to_re "N") (str.to_re "n"))))
      (a!9 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!11 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (re.union (str.to_re "Q") (str.to_re "q"))))
      (a!13 (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!18 (re.++ (re.++ (re.++ (str.to_re "1") (str.to_re "1"))
                          (str.to_re "1"))
                   (str.to_re "1")))
      (a!24 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (str.to_re "3")))
      (a!27 (str.in_re access.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-1/"))
                              (re.* re.allchar))))
      (a!32 (str.in_re access.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-3/"))
                              (re.* re.allchar))))
      (a!37 (str.in_re access.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-5/"))
                              (re.* re.allchar))))
      (a!39 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!49 (re.++ (re.union (re.union (str.to_re "K") (str.to_re "k"))
                             (str.to_re "\u{212a}"))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!56 (str.in_re access.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-9/"))
                              (re.* re.allchar)))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":kms"))
                  (re.opt (re.++ (str.to_re ":") (re.* re.allchar)))))
      (a!4 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!10 (re.++ (re.++ (re.++ a!8 (str.to_re ":")) a!9) (str.to_re ":")))
      (a!12 (re.++ a!11
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!14 (re.++ (re.++ (re.++ a!13 (str.to_re "-"))
                          (re.union (str.to_re "E") (str.to_re "e")))
                   (re.union (str.to_re "A") (str.to_re "a"))))
      (a!19 (re.++ (re.++ (re.++ a!18 (str.to_re "2")) (str.to_re "2"))
                   (str.to_re "2")))
      (a!40 (re.++ (re.++ a!39 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!50 (re.++ a!49
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}")))))
(let ((a!5 (re.++ (re.++ a!4 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!15 (re.++ a!14
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!20 (re.++ (re.++ (re.++ a!19 (str.to_re "2")) (str.to_re "3"))
                   (str.to_re "3")))
      (a!25 (re.++ (re.++ (re.++ (re.++ a!10 a!24) (str.to_re ":"))
                          (str.to_re ""))
                   (str.to_re ":")))
      (a!41 (re.++ (re.++ a!40 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (re.++ (re.++ a!5 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "T") (str.to_re "t")))
                   (str.to_re "-")))
      (a!26 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-1/") (re.* re.allchar))))
      (a!31 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-3/") (re.* re.allchar))))
      (a!36 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-5/") (re.* re.allchar))))
      (a!42 (re.++ a!10 (re.++ a!41 (re.union (str.to_re "B") (str.to_re "b")))))
      (a!55 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-9/") (re.* re.allchar)))))
(let ((a!7 (str.in_re access.resource
                      (re.++ (re.++ a!6 (str.to_re ":")) (re.* re.allchar))))
      (a!17 (re.++ (re.++ (re.++ (re.++ a!10 a!12) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!43 (re.++ (re.++ (re.++ a!42 (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!51 (re.++ (re.++ (re.++ (re.++ a!10 a!50) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":"))))
(let ((a!21 (re.++ a!17 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!28 (and (= access.action 18263)
                 (ite a!7 (and a!7 (str.in_re access.resource a!26)) a!27)))
      (a!33 (and (= access.action 18235)
                 (ite a!7 (and a!7 (str.in_re access.resource a!31)) a!32)))
      (a!38 (and (= access.action 18306)
                 (ite a!7 (and a!7 (str.in_re access.resource a!36)) a!37)))
      (a!44 (re.++ a!43 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!52 (re.++ a!51 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!57 (and (= access.action 18263)
                 (ite a!7 (and a!7 (str.in_re access.resource a!55)) a!56))))
(let ((a!22 (str.in_re access.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-0"))))
      (a!29 (str.in_re access.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-2"))))
      (a!34 (str.in_re access.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-4"))))
      (a!45 (str.in_re access.resource
                       (re.++ (re.++ a!44 (str.to_re ":"))
                              (str.to_re "table/data-6"))))
      (a!47 (str.in_re access.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-7"))))
      (a!53 (str.in_re access.resource
                       (re.++ (re.++ a!52 (str.to_re ":"))
                              (str.to_re "key/data-8")))))
(let ((a!23 (ite a!7
                 (and a!7 a!22)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-0")))))
      (a!30 (ite a!7
                 (and a!7 a!29)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-2")))))
      (a!35 (ite a!7
                 (and a!7 a!34)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-4")))))
      (a!46 (ite a!7
                 (and a!7 a!45)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:dynamodb:us-east-1:111122223333:")
                                   (str.to_re "table/data-6")))))
      (a!48 (ite a!7
                 (and a!7 a!47)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-7")))))
      (a!54 (ite a!7
                 (and a!7 a!53)
                 (str.in_re access.resource
                            (re.++ (str.to_re "arn:aws:kms:us-east-1:111122223333:")
                                   (str.to_re "key/data-8"))))))
(let ((a!58 (and (not (or (= access.principal.kind ANONYMOUS)
                          (= access.principal.kind SERVICE)
                          (= access.principal.kind WEB_IDENTITY)
                          (= access.principal.kind CANONICAL_USER)))
                 (or (and (= access.action 20353) a!23)
                     a!28
                     (and (= access.action 20353) a!30)
                     a!33
                     (and (= access.action 20355) a!35)
                     a!38
                     (and (= access.action 7087) a!46)
                     (and (= access.action 20355) a!48)
                     (and (= access.action 12373) a!54)
                     a!57))))
(let ((a!59 (ite (or (ite access.resource.is_arn
                          (= |access.resource.arn[2]| "kms")
                          (str.in_re access.resource.plain a!2))
                     a!3)
                 false
                 (or (= access.principal.kind ACCOUNT_ROOT) a!58))))
(let ((a!60 (ite (or (not access.has_resource_account)
                     (and access.principal.has_account
                          (= access.resource_account access.principal.account)))
                 a!59
                 false)))
  (or (= access.action 20992) a!60)))))))))))))
(check-sat)
(exit)
